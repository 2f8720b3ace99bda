/**
 * The one interface of the stream transports (http1.ts, the lean HTTP/1.1 client; undici.ts,
 * for HTTP/2 and proxies; choice.ts picks one): open a request, hear about it through a sink.
 * A request is built once and shared: the URL, method, headers and body, and for HTTP/1.1 the
 * head already encoded, so thousands of clients write the same bytes; only the Last-Event-ID
 * differs per client. Pure.
 */
import { SseToolError } from "../../errors.js";

/** What an event-stream client needs from a response head. */
export interface ResponseHead {
  status: number;
  statusText: string;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  location: string | undefined;
}

export interface StreamRequest {
  url: URL;
  method: string;
  /** Lower-case names, without Last-Event-ID. */
  headers: Readonly<Record<string, string>>;
  body: Uint8Array | undefined;
  /** The HTTP/1.1 request line and headers, each line ending in CRLF, without the empty line. */
  http1Head: Uint8Array;
}

/** What a transport reports about one stream request. */
export interface StreamSink {
  /** The TCP (and TLS) connection is up. */
  connected(): void;
  /** The final response head arrived. */
  head(head: ResponseHead): void;
  /** Body bytes `bytes[start, end)` (still content-encoded); valid only during the call. */
  body(bytes: Uint8Array, start: number, end: number): void;
  /** The body ended: `complete` when its framing said so, false when the connection was cut. */
  end(complete: boolean): void;
  /** The request failed: no connection, no head, or a broken body. */
  failed(error: unknown): void;
}

export interface OpenStream {
  /** Stops the request and releases its connection; the sink hears nothing more. */
  close(): void;
}

export interface StreamTransport {
  open(
    request: StreamRequest,
    lastEventId: string | undefined,
    localAddress: string | undefined,
    sink: StreamSink,
  ): OpenStream;
  /** Releases what the transport holds (connection pools). */
  close(): Promise<void>;
}

/** Encodes a header line; HTTP carries only latin1 characters (as fetch's ByteString). */
function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code > 0xff) {
      throw new SseToolError(
        "usage",
        `a header holds ${JSON.stringify(text[at])}, which HTTP headers cannot carry`,
      );
    }
    bytes[at] = code;
  }
  return bytes;
}

export function buildStreamRequest(
  url: URL,
  method: string,
  headers: Readonly<Record<string, string>>,
  body: Uint8Array | undefined,
): StreamRequest {
  const path = `${url.pathname}${url.search}`;
  let head = `${method} ${path === "" ? "/" : path} HTTP/1.1\r\n`;
  if (headers.host === undefined) head += `host: ${url.host}\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (name === "content-length" || name === "transfer-encoding") continue;
    head += `${name}: ${value}\r\n`;
  }
  if (body !== undefined) head += `content-length: ${body.length}\r\n`;
  return { url, method, headers, body, http1Head: latin1Bytes(head) };
}

/** The per-client lines ending a request head: Last-Event-ID when set, then the empty line. */
export function http1HeadEnd(lastEventId: string | undefined): Uint8Array {
  return lastEventId === undefined
    ? emptyLine
    : latin1Bytes(`last-event-id: ${lastEventId}\r\n\r\n`);
}

const emptyLine = latin1Bytes("\r\n");
