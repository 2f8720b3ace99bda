/**
 * The recording format that `listen --record` writes and `serve --replay` reads: JSON lines,
 * the first one naming the format and its version, then one line per thing that happened on
 * the wire, each with `t`, its time in milliseconds since the first request was sent. docs/test-double.md
 * ("Record and replay") documents it for people; this file is the one definition both sides use. Pure.
 *
 * ```
 * {"type":"recording","version":1,"started":"2026-12-01T10:00:00.000Z","tool":"sse-tool"}
 * {"type":"request","t":0,"method":"GET","url":"http://127.0.0.1:8080/events","headers":{...}}
 * {"type":"response","t":4,"status":200,"statusText":"OK","url":"...","headers":{...}}
 * {"type":"chunk","t":5,"text":"id: 1\ndata: hello\n\n"}
 * {"type":"chunk","t":306,"base64":"ZGF0YTog8J+R"}
 * {"type":"disconnect","t":3006,"reason":"dropped","detail":"other side closed"}
 * ```
 *
 * Secrets stay out: credentials and secret-looking query parameters are taken out of URLs, and
 * secret headers (src/http/redaction.ts) are written as "[redacted]".
 */
import { isSecretName, redactedValue, redactUrl } from "../http/redaction.js";

/** The version this build writes and reads. A reader refuses a newer one rather than guess. */
export const recordingVersion = 1;

/** The `type` of the first line. */
export const recordingType = "recording";

/** How a connection ended, as far as the recorder could tell. */
export type DisconnectReason =
  /** The server ended the body cleanly. */
  | "ended"
  /** The connection broke, or the response was one the client gives up on or retries. */
  | "dropped"
  /** The recording client stopped (Ctrl-C, -n, a timeout) while the stream was open. */
  | "stopped";

export type ResponseHeaders = Record<string, string | string[]>;

export type RecordingEntry =
  | { type: "recording"; version: number; started: string }
  /** A request sent: the first one, and one per reconnection. */
  | { type: "request"; t: number; method: string; url: string; headers: Record<string, string> }
  /** The final response head (after redirects), whatever its status. */
  | {
      type: "response";
      t: number;
      status: number;
      statusText: string;
      url: string;
      headers: ResponseHeaders;
    }
  /** Body bytes exactly as received (after HTTP content decoding), in one read. */
  | { type: "chunk"; t: number; bytes: Uint8Array }
  | { type: "disconnect"; t: number; reason: DisconnectReason; detail?: string };

/** The first line. */
export function recordingHeaderLine(started: Date): string {
  return line({
    type: recordingType,
    version: recordingVersion,
    started: started.toISOString(),
    tool: "sse-tool",
  });
}

export function requestLine(
  t: number,
  request: { method: string; url: string; headers: Record<string, string> },
): string {
  const headers: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name] = isSecretName(name) ? redactedValue : value;
  }
  return line({
    type: "request",
    t,
    method: request.method,
    url: redactUrl(request.url),
    headers,
  });
}

export function responseLine(
  t: number,
  response: {
    status: number;
    statusText: string;
    url: string;
    headers: Record<string, string | string[] | undefined>;
  },
): string {
  const headers: ResponseHeaders = Object.create(null);
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined) continue;
    headers[name] = isSecretName(name)
      ? Array.isArray(value)
        ? value.map(() => redactedValue)
        : redactedValue
      : value;
  }
  return line({
    type: "response",
    t,
    status: response.status,
    statusText: response.statusText,
    url: redactUrl(response.url),
    headers,
  });
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * A body chunk: as text when its bytes are valid UTF-8 on their own (most are; a chunk cut
 * inside a character is not), else as base64. Either way the bytes come back exactly.
 */
export function chunkLine(t: number, bytes: Uint8Array): string {
  let text: string | undefined;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    text = undefined;
  }
  if (text !== undefined) return line({ type: "chunk", t, text });
  const base64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  return line({ type: "chunk", t, base64 });
}

export function disconnectLine(t: number, reason: DisconnectReason, detail?: string): string {
  return line(
    detail === undefined
      ? { type: "disconnect", t, reason }
      : { type: "disconnect", t, reason, detail },
  );
}

function line(value: object): string {
  return `${JSON.stringify(value)}\n`;
}

/** A line that is not what the format says, and why; reported with its line number. */
export interface RecordingProblem {
  problem: string;
}

/**
 * Reads one line of a recording (hostile input: every field is checked). The first line must
 * be the header; `isFirst` says it is.
 */
export function parseRecordingLine(
  text: string,
  isFirst: boolean,
): RecordingEntry | RecordingProblem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: "not a JSON line" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { problem: "not a JSON object" };
  }
  const fields = value as Record<string, unknown>;
  if (isFirst) return parseHeader(fields);
  const t = fields.t;
  if (typeof t !== "number" || !Number.isFinite(t) || t < 0) {
    return { problem: '"t" must be a number of milliseconds, 0 or more' };
  }
  switch (fields.type) {
    case "request":
      return parseRequest(fields, t);
    case "response":
      return parseResponse(fields, t);
    case "chunk":
      return parseChunk(fields, t);
    case "disconnect":
      return parseDisconnect(fields, t);
    default:
      return { problem: `unknown line type ${JSON.stringify(String(fields.type)).slice(0, 40)}` };
  }
}

function parseHeader(fields: Record<string, unknown>): RecordingEntry | RecordingProblem {
  if (fields.type !== recordingType || typeof fields.version !== "number") {
    return {
      problem: `not an sse-tool recording (its first line is not {"type":"recording",...})`,
    };
  }
  if (fields.version !== recordingVersion) {
    return {
      problem: `recording format version ${fields.version}; this sse-tool reads version ${recordingVersion}`,
    };
  }
  const started = typeof fields.started === "string" ? fields.started : "";
  return { type: "recording", version: fields.version, started };
}

function parseRequest(
  fields: Record<string, unknown>,
  t: number,
): RecordingEntry | RecordingProblem {
  if (typeof fields.method !== "string" || typeof fields.url !== "string") {
    return { problem: 'a request needs "method" and "url" strings' };
  }
  const headers = stringRecord(fields.headers);
  if (headers === undefined) return { problem: 'a request\'s "headers" must map names to strings' };
  return { type: "request", t, method: fields.method, url: fields.url, headers };
}

function parseResponse(
  fields: Record<string, unknown>,
  t: number,
): RecordingEntry | RecordingProblem {
  const status = fields.status;
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 999) {
    return { problem: 'a response needs a "status" from 100 to 999' };
  }
  const headers = headerRecord(fields.headers);
  if (headers === undefined) {
    return { problem: 'a response\'s "headers" must map names to strings or lists of strings' };
  }
  return {
    type: "response",
    t,
    status,
    statusText: typeof fields.statusText === "string" ? fields.statusText : "",
    url: typeof fields.url === "string" ? fields.url : "",
    headers,
  };
}

function parseChunk(fields: Record<string, unknown>, t: number): RecordingEntry | RecordingProblem {
  if (typeof fields.text === "string") {
    return { type: "chunk", t, bytes: Buffer.from(fields.text, "utf8") };
  }
  if (typeof fields.base64 === "string" && /^[A-Za-z0-9+/]*={0,2}$/.test(fields.base64)) {
    return { type: "chunk", t, bytes: Buffer.from(fields.base64, "base64") };
  }
  return { problem: 'a chunk needs "text" or "base64"' };
}

function parseDisconnect(
  fields: Record<string, unknown>,
  t: number,
): RecordingEntry | RecordingProblem {
  const reason = fields.reason;
  if (reason !== "ended" && reason !== "dropped" && reason !== "stopped") {
    return { problem: 'a disconnect\'s "reason" is "ended", "dropped" or "stopped"' };
  }
  return typeof fields.detail === "string"
    ? { type: "disconnect", t, reason, detail: fields.detail }
    : { type: "disconnect", t, reason };
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  // No prototype: a header named __proto__ stays a header.
  const result: Record<string, string> = Object.create(null);
  for (const [name, item] of Object.entries(value)) {
    if (typeof item !== "string") return undefined;
    result[name] = item;
  }
  return result;
}

function headerRecord(value: unknown): ResponseHeaders | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const result: ResponseHeaders = Object.create(null);
  for (const [name, item] of Object.entries(value)) {
    if (typeof item === "string") result[name] = item;
    else if (Array.isArray(item) && item.every((part) => typeof part === "string")) {
      result[name] = item as string[];
    } else return undefined;
  }
  return result;
}
