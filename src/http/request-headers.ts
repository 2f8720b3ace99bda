/**
 * The headers of a `listen` request: the EventSource defaults, the user's `-H` lines, and the
 * Last-Event-ID of a resumed stream. Pure; names are kept lower-case (HTTP/1.1 and undici do
 * not care, and it makes overriding a default case-insensitive).
 */
import { SseToolError } from "../errors.js";

export type HeaderList = Array<[name: string, value: string]>;

const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Parses `-H "Name: value"` lines. As in curl, `"Name:"` with nothing after the colon removes
 * that header (for example a default `Cache-Control`) instead of sending it empty.
 */
export function parseHeaderOptions(lines: readonly string[]): HeaderList {
  return lines.map((line) => {
    const colon = line.indexOf(":");
    const name = colon === -1 ? "" : line.slice(0, colon).trim();
    if (!headerName.test(name)) {
      throw new SseToolError(
        "usage",
        `invalid header ${JSON.stringify(line)}: expected "Name: value"`,
      );
    }
    const value = line.slice(colon + 1).trim();
    if (/[\r\n\0]/.test(value)) {
      throw new SseToolError(
        "usage",
        `invalid header ${JSON.stringify(line)}: value holds a line break`,
      );
    }
    return [name.toLowerCase(), value];
  });
}

export interface RequestHeaderInputs {
  userHeaders: HeaderList;
  /** Sent when non-empty (HTML §9.2.3: only on reconnects, or the user's --last-event-id). */
  lastEventId: string;
  /** The request carries a body (-d) */
  hasBody: boolean;
  /** The body is JSON (see isJsonBody): it then gets `Content-Type: application/json` unless set. */
  bodyIsJson: boolean;
  /** The default User-Agent (`sse-tool/<version>`); -H replaces it, `-H 'User-Agent:'` drops it. */
  userAgent?: string;
  /** Basic auth from the URL or -u; an -H Authorization replaces it. */
  authorization?: string;
}

const jsonWhitespace = new Set([0x20, 0x0a, 0x0d, 0x09]);

/**
 * Whether a `-d` body is a JSON object or array, the bodies sent as `Content-Type:
 * application/json`. A bare scalar parses as JSON too (`42`, `true`, `"x"`), but such a body is
 * a form value or plain text far more often than a JSON document, so it gets no Content-Type.
 * Only a body starting with `{` or `[` is parsed.
 */
export function isJsonBody(body: Uint8Array): boolean {
  const first = body.find((byte) => !jsonWhitespace.has(byte));
  if (first !== 0x7b && first !== 0x5b) return false;
  try {
    JSON.parse(new TextDecoder().decode(body));
    return true;
  } catch {
    return false;
  }
}

export function buildRequestHeaders(inputs: RequestHeaderInputs): Record<string, string> {
  const headers: Record<string, string> = {
    accept: "text/event-stream",
    "cache-control": "no-cache",
  };
  if (inputs.userAgent !== undefined) headers["user-agent"] = inputs.userAgent;
  if (inputs.authorization !== undefined) headers.authorization = inputs.authorization;
  if (inputs.hasBody && inputs.bodyIsJson) headers["content-type"] = "application/json";
  for (const [name, value] of inputs.userHeaders) {
    if (value === "") delete headers[name];
    else headers[name] = value;
  }
  const lastEventId = lastEventIdHeaderValue(inputs.lastEventId);
  if (lastEventId !== undefined) headers["last-event-id"] = lastEventId;
  return headers;
}

/** Control characters that no HTTP header value may carry (TAB is allowed). */
const unsendable = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/**
 * The Last-Event-ID header value for an id, or undefined when none can be sent. A browser sends
 * the id's UTF-8 bytes; header strings go on the wire as latin1, so the UTF-8 bytes are spelled
 * as latin1 characters. An id holding control characters (legal in an SSE id, not in a header)
 * cannot be sent at all.
 */
export function lastEventIdHeaderValue(lastEventId: string): string | undefined {
  if (lastEventId === "" || unsendable.test(lastEventId)) return undefined;
  if (/^[\u0020-\u007e]*$/.test(lastEventId)) return lastEventId;
  return Buffer.from(lastEventId, "utf8").toString("latin1");
}
