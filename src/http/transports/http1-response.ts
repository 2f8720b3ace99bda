import { detachedCopy } from "../../sse/detached-copy.js";
import type { ResponseHead } from "./stream-transport.js";

/**
 * Reads an HTTP/1.1 response from the bytes of a connection: the head (status line and the few
 * headers an event stream needs), then the body framed by chunked encoding, Content-Length or
 * the end of the connection (RFC 9112 §6). Pure: bytes in, calls out, no I/O.
 *
 * A handful of fields replaces the parser, request and readable body that node:http and undici
 * keep per connection. Every buffer it keeps is bounded: a server cannot make it hold more
 * than `maxHeadBytes` of head or a few bytes of chunk framing.
 */

export interface Http1ResponseHandlers {
  /** The final (non-1xx) response head. */
  onHead(head: ResponseHead): void;
  /** Body bytes `bytes[start, end)`, after chunked framing is taken off. */
  onBody(bytes: Uint8Array, start: number, end: number): void;
  /** The body is complete (last chunk, Content-Length reached, or a response without body). */
  onBodyEnd(): void;
}

/** The response breaks HTTP/1.1 framing; the connection cannot be read on. */
export class HttpProtocolError extends Error {
  override readonly name = "HttpProtocolError";
}

/** Largest response head accepted (status line and headers), as node:http's default. */
export const maxHeadBytes = 16 * 1024;
/** Largest chunk-size line (with extensions) or trailer section. */
const maxFramingBytes = 4 * 1024;

/** Where the reader is in the response. */
const Phase = {
  Head: 0,
  ChunkSize: 1,
  ChunkData: 2,
  ChunkDataEnd: 3,
  Trailers: 4,
  LengthBody: 5,
  CloseBody: 6,
  Done: 7,
} as const;
type Phase = (typeof Phase)[keyof typeof Phase];

const CR = 0x0d;
const LF = 0x0a;

export class Http1ResponseReader {
  readonly #handlers: Http1ResponseHandlers;
  /** The request's method: a response to HEAD has no body. */
  readonly #isHead: boolean;
  #phase: Phase = Phase.Head;
  /** Head or framing text read so far (latin1), until its line or section is complete. */
  #pending = "";
  /** Bytes left in the current chunk or Content-Length body. */
  #remaining = 0;

  constructor(handlers: Http1ResponseHandlers, method = "GET") {
    this.#handlers = handlers;
    this.#isHead = method === "HEAD";
  }

  /** Whether the response head has been read. */
  get headDone(): boolean {
    return this.#phase !== Phase.Head;
  }

  /** Whether the body is complete; later bytes on the connection are not part of it. */
  get done(): boolean {
    return this.#phase === Phase.Done;
  }

  /** Reads `bytes[start, end)`; throws HttpProtocolError when the response is malformed. */
  feed(bytes: Uint8Array, start: number, end: number): void {
    let at = start;
    while (at < end) {
      switch (this.#phase) {
        case Phase.Head:
          at = this.#readHead(bytes, at, end);
          break;
        case Phase.ChunkSize:
          at = this.#readChunkSize(bytes, at, end);
          break;
        case Phase.ChunkData: {
          const take = Math.min(this.#remaining, end - at);
          this.#remaining -= take;
          if (this.#remaining === 0) this.#phase = Phase.ChunkDataEnd;
          this.#handlers.onBody(bytes, at, at + take);
          at += take;
          break;
        }
        case Phase.ChunkDataEnd:
          at = this.#readChunkDataEnd(bytes, at, end);
          break;
        case Phase.Trailers:
          at = this.#readTrailers(bytes, at, end);
          break;
        case Phase.LengthBody: {
          const take = Math.min(this.#remaining, end - at);
          this.#remaining -= take;
          if (take > 0) this.#handlers.onBody(bytes, at, at + take);
          at += take;
          if (this.#remaining === 0) this.#finish();
          break;
        }
        case Phase.CloseBody:
          this.#handlers.onBody(bytes, at, end);
          return;
        case Phase.Done:
          // Bytes after the response: nothing sent a second request, so they are ignored.
          return;
      }
    }
  }

  /**
   * The connection ended. Returns whether the body was complete: always for a body delimited by
   * the end of the connection; false when the head, a chunk or a Content-Length body was cut.
   */
  endOfInput(): boolean {
    if (this.#phase === Phase.CloseBody) {
      this.#finish();
      return true;
    }
    return this.#phase === Phase.Done;
  }

  #finish(): void {
    this.#phase = Phase.Done;
    this.#pending = "";
    this.#handlers.onBodyEnd();
  }

  /** Appends `bytes[start, end)` as latin1 to the pending text, checking its bound. */
  #append(bytes: Uint8Array, start: number, end: number, limit: number, what: string): void {
    if (this.#pending.length + (end - start) > limit) {
      throw new HttpProtocolError(`${what} larger than ${limit} bytes`);
    }
    this.#pending += latin1(bytes, start, end);
  }

  #readHead(bytes: Uint8Array, start: number, end: number): number {
    const before = this.#pending.length;
    // Never more than the bound (and the empty line after it) is held as text.
    const take = Math.min(end - start, maxHeadBytes + 4 - before);
    this.#pending += latin1(bytes, start, start + take);
    const text = this.#pending;
    // The head ends at the first empty line: CRLF CRLF, or LF LF from lenient servers.
    let headEnd = -1;
    let bodyStart = -1;
    for (let at = Math.max(0, before - 3); at < text.length; at++) {
      if (text.charCodeAt(at) !== LF) continue;
      if (text.charCodeAt(at + 1) === LF) {
        headEnd = at;
        bodyStart = at + 2;
        break;
      }
      if (text.charCodeAt(at + 1) === CR && text.charCodeAt(at + 2) === LF) {
        headEnd = at;
        bodyStart = at + 3;
        break;
      }
    }
    if (headEnd === -1 || headEnd > maxHeadBytes) {
      if (text.length >= maxHeadBytes) {
        throw new HttpProtocolError(`response head larger than ${maxHeadBytes} bytes`);
      }
      return end;
    }
    this.#pending = "";
    this.#startBody(parseHead(text.slice(0, headEnd)));
    return start + (bodyStart - before);
  }

  #startBody(parsed: ParsedHead): void {
    const { head } = parsed;
    // 1xx responses (100 Continue, 103 Early Hints) come before the real one.
    if (head.status >= 100 && head.status < 200) {
      if (head.status === 101) throw new HttpProtocolError("unexpected 101 Switching Protocols");
      return;
    }
    this.#handlers.onHead(head);
    if (this.#isHead || head.status === 204 || head.status === 304) {
      this.#finish();
    } else if (parsed.transferEncoding !== undefined) {
      // RFC 9112 §6.3: chunked as the last coding frames the body; any other coding leaves
      // the end of the connection as its end. Transfer-Encoding overrides Content-Length.
      const codings = parsed.transferEncoding.toLowerCase().split(",");
      const last = codings[codings.length - 1]!.trim();
      this.#phase = last === "chunked" ? Phase.ChunkSize : Phase.CloseBody;
    } else if (parsed.contentLength !== undefined) {
      this.#remaining = parsed.contentLength;
      if (this.#remaining === 0) this.#finish();
      else this.#phase = Phase.LengthBody;
    } else {
      this.#phase = Phase.CloseBody;
    }
  }

  #readChunkSize(bytes: Uint8Array, start: number, end: number): number {
    const lf = indexOfByte(bytes, LF, start, end);
    this.#append(bytes, start, lf === -1 ? end : lf, maxFramingBytes, "chunk-size line");
    if (lf === -1) return end;
    const line = this.#pending;
    this.#pending = "";
    const size = parseChunkSize(line);
    if (size === 0) {
      this.#phase = Phase.Trailers;
    } else {
      this.#remaining = size;
      this.#phase = Phase.ChunkData;
    }
    return lf + 1;
  }

  /** The CRLF after a chunk's data (a lone LF is accepted). */
  #readChunkDataEnd(bytes: Uint8Array, start: number, end: number): number {
    let at = start;
    if (this.#pending === "" && bytes[at] === CR) {
      this.#pending = "\r";
      at++;
      if (at === end) return end;
    }
    if (bytes[at] !== LF) throw new HttpProtocolError("chunk data not followed by CRLF");
    this.#pending = "";
    this.#phase = Phase.ChunkSize;
    return at + 1;
  }

  /** Trailer fields after the last chunk, up to an empty line; their content is ignored. */
  #readTrailers(bytes: Uint8Array, start: number, end: number): number {
    let at = start;
    while (at < end) {
      const lf = indexOfByte(bytes, LF, at, end);
      this.#append(bytes, at, lf === -1 ? end : lf, maxFramingBytes, "trailer section");
      if (lf === -1) return end;
      const line = this.#pending;
      at = lf + 1;
      // The pending text holds every trailer line so far (for the bound), separated by LF.
      const lineStart = line.lastIndexOf("\n") + 1;
      const lastLine = line.slice(lineStart);
      if (lastLine === "" || lastLine === "\r") {
        this.#finish();
        return at;
      }
      this.#pending = `${line}\n`;
    }
    return at;
  }
}

interface ParsedHead {
  head: ResponseHead;
  transferEncoding: string | undefined;
  contentLength: number | undefined;
}

/** Parses the status line and the headers this client uses; throws on a malformed head. */
function parseHead(text: string): ParsedHead {
  const lines = text.split("\n");
  const statusLine = stripCr(lines[0] ?? "");
  // "HTTP/1.1 200 OK": the version, a space, three digits, then an optional reason.
  if (!statusLine.startsWith("HTTP/1.") || statusLine.charCodeAt(8) !== 0x20) {
    throw new HttpProtocolError("not an HTTP/1.x response");
  }
  const code = statusLine.slice(9, 12);
  if (!/^[1-9][0-9][0-9]$/.test(code) || (statusLine.length > 12 && statusLine[12] !== " ")) {
    throw new HttpProtocolError("malformed status line");
  }
  const head: ResponseHead = {
    status: Number(code),
    statusText: statusLine.slice(13),
    contentType: undefined,
    contentEncoding: undefined,
    location: undefined,
  };
  let transferEncoding: string | undefined;
  let contentLength: number | undefined;
  for (let index = 1; index < lines.length; index++) {
    const line = stripCr(lines[index]!);
    const colon = line.indexOf(":");
    if (colon <= 0) throw new HttpProtocolError("malformed header line");
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    switch (name) {
      case "content-type":
        head.contentType = detachedCopy(value);
        break;
      case "content-encoding":
        head.contentEncoding = joinValues(head.contentEncoding, value);
        break;
      case "location":
        head.location = detachedCopy(value);
        break;
      case "transfer-encoding":
        transferEncoding = joinValues(transferEncoding, value);
        break;
      case "content-length":
        contentLength = parseContentLength(value, contentLength);
        break;
    }
  }
  head.statusText = detachedCopy(head.statusText);
  return { head, transferEncoding, contentLength };
}

function parseContentLength(value: string, previous: number | undefined): number {
  // Several equal values ("5, 5", or the header twice) are one length (RFC 9110 §8.6).
  let length: number | undefined = previous;
  for (const part of value.split(",")) {
    const digits = part.trim();
    if (!/^[0-9]{1,15}$/.test(digits)) throw new HttpProtocolError("invalid Content-Length");
    const parsed = Number(digits);
    if (length !== undefined && length !== parsed) {
      throw new HttpProtocolError("conflicting Content-Length values");
    }
    length = parsed;
  }
  return length!;
}

function parseChunkSize(line: string): number {
  const semicolon = line.indexOf(";");
  const digits = stripCr(semicolon === -1 ? line : line.slice(0, semicolon)).trim();
  // 13 hex digits are 2^52: far more than any chunk, still an exact number.
  if (!/^[0-9a-fA-F]{1,13}$/.test(digits)) throw new HttpProtocolError("invalid chunk size");
  return Number.parseInt(digits, 16);
}

function joinValues(previous: string | undefined, value: string): string {
  return previous === undefined ? detachedCopy(value) : `${previous}, ${value}`;
}

function stripCr(line: string): string {
  return line.charCodeAt(line.length - 1) === CR ? line.slice(0, -1) : line;
}

function indexOfByte(bytes: Uint8Array, byte: number, start: number, end: number): number {
  for (let at = start; at < end; at++) if (bytes[at] === byte) return at;
  return -1;
}

/** `bytes[start, end)` as a latin1 string, in bounded pieces (no unbounded argument spread). */
function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = "";
  for (let at = start; at < end; at += 4096) {
    text += String.fromCharCode.apply(
      null,
      bytes.subarray(at, Math.min(end, at + 4096)) as unknown as number[],
    );
  }
  return text;
}
