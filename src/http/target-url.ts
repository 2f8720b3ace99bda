/**
 * A `listen`/`doctor` URL argument as curl and HTTPie users type it. Pure.
 *
 * Without a scheme, `http://` is meant, as HTTPie reads it: `localhost:8080/events`,
 * `127.0.0.1:8080/events`, `example.com/events`; a leading colon is localhost (`:8080/events`,
 * `:/events`). A URL with another scheme (`ftp://`) is a usage error naming the scheme.
 */
import { SseToolError } from "../errors.js";
import { redactUrl } from "./redaction.js";

/** `scheme://` at the start: the URL says how to reach it. */
const hasScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;

/** The URL text with `http://` (and `localhost` for a leading colon) added when it has no scheme. */
export function withDefaultScheme(raw: string): string {
  const text = raw.trim();
  if (hasScheme.test(text)) return text;
  if (text.startsWith(":")) return `http://localhost${text}`;
  return `http://${text}`;
}

/**
 * The URL to connect to: http or https, else a usage error. It may hold `user:password@`
 * (sent as Basic auth by src/http/request.ts, never shown: see redactUrl).
 */
export function parseTargetUrl(raw: string): URL {
  const text = withDefaultScheme(raw);
  // Told as typed, less any credentials (redacted with the scheme in place, then taken off).
  const shown = () => {
    const redacted = redactUrl(text);
    return hasScheme.test(raw.trim()) ? redacted : redacted.replace(/^http:\/\//, "");
  };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SseToolError("usage", `invalid URL: ${shown()}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new SseToolError("usage", `unsupported URL scheme ${url.protocol} (use http or https)`);
  }
  if (url.hostname === "") {
    throw new SseToolError("usage", `invalid URL (no host): ${shown()}`);
  }
  return url;
}
