import { SseToolError } from "../core/errors.js";

export async function demo(_options: { color: boolean }): Promise<number> {
  throw new SseToolError("usage", "demo is not built yet");
}
