import { SseToolError } from "../errors.js";

/** A `listen`/`doctor` URL argument: http or https, else a usage error naming it. */
export function parseTargetUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SseToolError("usage", `invalid URL: ${raw}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new SseToolError("usage", `unsupported URL scheme ${url.protocol} (use http or https)`);
  }
  return url;
}
