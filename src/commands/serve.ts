import { SseToolError } from "../core/errors.js";

export interface ServeCliOptions {
  format: "auto" | "lines" | "ndjson" | "sse";
  strict?: boolean;
  event?: string;
  ids?: boolean;
  interval: number;
  timing: "none" | "original";
  loop?: boolean;
  host: string;
  port: number;
  path: string;
  /** The allowed origin, or false for --no-cors. */
  cors: string | false;
  history: number;
  maxClientBuffer: number;
  wait: boolean;
  /** Milliseconds between heartbeats; 0 is off. */
  heartbeat: number;
  retry?: number;
  exitOnEnd?: boolean;
  ui: boolean;
  publish: boolean;
  token?: string;
  quiet?: boolean;
}

export async function serve(_file: string | undefined, _options: ServeCliOptions): Promise<number> {
  throw new SseToolError("usage", "serve is not built yet");
}
