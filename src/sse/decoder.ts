/**
 * A WHATWG-exact event-stream decoder: bytes in, dispatched events out, no I/O.
 *
 * Implements HTML Standard §9.2.5 "Parsing an event stream" and §9.2.6 "Interpreting an event
 * stream". It is written here rather than on top of eventsource-parser because that parser
 * (v3) deviates in ways this tool must not: a block holding only `id:` is dropped instead of
 * setting the last event ID, and a CR at the end of a chunk is held back until more bytes come
 * (so an event ending in CR CR is shown late). See README "Why not eventsource-parser".
 */

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;

/** Where a field's value starts: after the colon and at most one space (§9.2.6). */
function valueStart(text: string, afterColon: number): number {
  return text.charCodeAt(afterColon) === SPACE ? afterColon + 1 : afterColon;
}

/** One dispatched event, as a browser's MessageEvent would carry it. */
export interface StreamEvent {
  /** The event type: the `event:` field's value, or "message" when it was empty or absent. */
  type: string;
  /** The data buffer with its one trailing LF removed (§9.2.6 dispatch step 3). */
  data: string;
  /** The source's last event ID string at dispatch time, as `event.lastEventId` ("" if none). */
  lastEventId: string;
}

/** A recoverable oddity in the stream. None of them stops the decoder. */
export type DecodeProblem =
  /** Bytes that are not UTF-8: each maximal invalid sequence became one U+FFFD (§9.2.5). */
  | { type: "invalid-utf8"; count: number }
  /** `retry:` whose value is not only ASCII digits: ignored, as the spec says. */
  | { type: "invalid-retry"; value: string }
  /** `id:` whose value contains NUL: ignored, as the spec says. */
  | { type: "invalid-id"; value: string }
  /** A field name the spec does not know: ignored. */
  | { type: "unknown-field"; field: string }
  /**
   * A line or event grew over `maxEventSize`: that event is skipped (its data discarded as it
   * streams past, memory bounded) and decoding goes on with the next one. Its `id:` and
   * `retry:` lines still count, as the spec's dispatch step 1 sets the last event ID anyway.
   */
  | { type: "event-too-large"; limit: number };

export interface DecoderHandlers {
  onEvent: (event: StreamEvent) => void;
  /** A valid `retry:` field: the new reconnection time in milliseconds. */
  onRetry?: (ms: number) => void;
  /** A comment line; `text` is what follows the colon, less one leading space. */
  onComment?: (text: string) => void;
  onProblem?: (problem: DecodeProblem) => void;
}

export interface DecoderOptions {
  /** Upper bound, in UTF-16 code units, on one unfinished line plus the pending data buffer. */
  maxEventSize?: number;
  /** The last event ID to start from (for example from `--last-event-id`). */
  lastEventId?: string;
}

export class EventStreamDecoder {
  /** §9.2.6: the source's last event ID string, updated at every blank line. */
  lastEventId: string;

  readonly #handlers: DecoderHandlers;
  readonly #maxEventSize: number;
  // The BOM is stripped here, not by TextDecoder: Node 24's streaming TextDecoder strips a second
  // BOM when the first one is split across chunks (a second U+FEFF is data, §9.2.5).
  #utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
  /** No text decoded yet from this body: a leading U+FEFF is still to be stripped. */
  #atBodyStart = true;
  /** The unfinished line carried over from the previous chunk. */
  #pendingLine = "";
  /** The previous chunk ended in CR: an LF at the start of the next one belongs to it. */
  #skipLeadingLf = false;
  /** The data buffer without its trailing LF; `undefined` is the spec's empty buffer. */
  #data: string | undefined = undefined;
  #eventType = "";
  #lastEventIdBuffer: string;
  /** After `event-too-large` inside a line: the rest of that line is discarded. */
  #discardingLine = false;
  /** After `event-too-large`: the event's data lines are discarded until its blank line. */
  #skippingEvent = false;
  /** The last two bytes of the previous chunk, to count a U+FFFD split across chunks. */
  #tail: number[] = [];

  constructor(handlers: DecoderHandlers, options: DecoderOptions = {}) {
    this.#handlers = handlers;
    this.#maxEventSize = options.maxEventSize ?? Number.POSITIVE_INFINITY;
    this.lastEventId = options.lastEventId ?? "";
    this.#lastEventIdBuffer = this.lastEventId;
  }

  /** Code units held for the unfinished line and event: never more than `maxEventSize`. */
  get bufferedLength(): number {
    return this.#pendingLine.length + (this.#data?.length ?? 0);
  }

  /**
   * Begins a new response body (a new connection). Buffers are cleared; the last event ID is
   * kept, as browsers keep it across reconnections. The UTF-8 decoder is renewed so a leading
   * BOM of the new body is stripped again.
   */
  startStream(): void {
    this.#utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
    this.#atBodyStart = true;
    this.#pendingLine = "";
    this.#skipLeadingLf = false;
    this.#data = undefined;
    this.#eventType = "";
    this.#lastEventIdBuffer = this.lastEventId;
    this.#discardingLine = false;
    this.#skippingEvent = false;
    this.#tail = [];
  }

  /**
   * Feeds raw body bytes. §9.2.5: decoded as UTF-8 whatever the Content-Type says; invalid
   * sequences become U+FFFD; one leading BOM is stripped.
   */
  feed(bytes: Uint8Array): void {
    let text = this.#utf8.decode(bytes, { stream: true });
    // A text without U+FFFD (the usual case; a one-byte string cannot even hold one) had no
    // invalid byte. Otherwise the replacements are the U+FFFDs that were not sent as such.
    if (text.includes("\uFFFD")) this.#countInvalidUtf8(text, bytes);
    else this.#keepTail(bytes);
    // A chunk holding only part of the BOM decodes to "": keep waiting for the first character.
    if (this.#atBodyStart && text.length > 0) {
      this.#atBodyStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.feedText(text);
  }

  /** Feeds already decoded text (used by tests and by `serve --format sse`). */
  feedText(chunk: string): void {
    const length = chunk.length;
    let start = 0;
    if (this.#skipLeadingLf && length > 0) {
      this.#skipLeadingLf = false;
      if (chunk.charCodeAt(0) === LF) start = 1;
    }
    if (this.#discardingLine) {
      // The rest of an oversized line streams past: nothing of it is kept.
      start = this.#endOfLine(chunk, start);
      if (start === -1) return;
      this.#discardingLine = false;
    }
    // Next LF and CR positions, searched again only once passed (-1: none left in chunk).
    let nextLf = -2;
    let nextCr = -2;
    while (start < length) {
      if (nextLf !== -1 && nextLf < start) nextLf = chunk.indexOf("\n", start);
      if (nextCr !== -1 && nextCr < start) nextCr = chunk.indexOf("\r", start);
      let end: number;
      if (nextLf === -1) {
        if (nextCr === -1) break;
        end = nextCr;
      } else {
        end = nextCr === -1 || nextLf < nextCr ? nextLf : nextCr;
      }
      if (this.#pendingLine === "") {
        this.#processLine(chunk, start, end);
      } else {
        const line = this.#pendingLine + chunk.slice(start, end);
        this.#pendingLine = "";
        this.#processLine(line, 0, line.length);
      }
      // §9.2.5: CRLF, lone CR and lone LF all end a line. A CR that ends the chunk ends the line
      // now; an LF opening the next chunk is then the second half of that CRLF.
      if (chunk.charCodeAt(end) === CR) {
        if (end + 1 < length) {
          if (chunk.charCodeAt(end + 1) === LF) end++;
        } else {
          this.#skipLeadingLf = true;
        }
      }
      start = end + 1;
    }
    if (start < length) {
      this.#pendingLine += start === 0 ? chunk : chunk.slice(start);
      if (this.bufferedLength > this.#maxEventSize) {
        this.#tooLarge();
        this.#discardingLine = true;
      }
    }
  }

  /** After the line terminator at or after `from` (CR LF counted whole), or -1: none yet. */
  #endOfLine(chunk: string, from: number): number {
    const lf = chunk.indexOf("\n", from);
    const cr = chunk.indexOf("\r", from);
    const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(lf, cr);
    if (end === -1) return -1;
    if (chunk.charCodeAt(end) === CR) {
      if (end + 1 < chunk.length) return chunk.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
      this.#skipLeadingLf = true;
    }
    return end + 1;
  }

  /** Counts the U+FFFDs of `text` that were not EF BF BD in `bytes` (with the last tail). */
  #countInvalidUtf8(text: string, bytes: Uint8Array): void {
    let replacements = 0;
    for (let i = text.indexOf("\uFFFD"); i !== -1; i = text.indexOf("\uFFFD", i + 1)) {
      replacements++;
    }
    const tail = this.#tail;
    const at = (i: number) => (i < tail.length ? tail[i]! : bytes[i - tail.length]!);
    const total = tail.length + bytes.length;
    let sent = 0;
    for (let i = 0; i + 2 < total; i++) {
      if (at(i) === 0xef && at(i + 1) === 0xbf && at(i + 2) === 0xbd) sent++;
    }
    this.#keepTail(bytes);
    if (replacements > sent) {
      this.#handlers.onProblem?.({ type: "invalid-utf8", count: replacements - sent });
    }
  }

  #keepTail(bytes: Uint8Array): void {
    const length = bytes.length;
    if (length >= 2) this.#tail = [bytes[length - 2]!, bytes[length - 1]!];
    else if (length === 1) this.#tail = [...this.#tail.slice(-1), bytes[0]!];
  }

  /**
   * The body ended. §9.2.6: "Once the end of the file is reached, any pending data must be
   * discarded" — an unfinished block is not dispatched.
   */
  endStream(): void {
    this.#utf8.decode();
    this.#pendingLine = "";
    this.#data = undefined;
    this.#eventType = "";
  }

  /** The event being read grew over the limit: it is dropped, and its next data lines too. */
  #tooLarge(): void {
    this.#pendingLine = "";
    this.#data = undefined;
    this.#eventType = "";
    if (this.#skippingEvent) return;
    this.#skippingEvent = true;
    this.#handlers.onProblem?.({ type: "event-too-large", limit: this.#maxEventSize });
  }

  /** Interprets the line `text[start, end)` (§9.2.6), slicing out only the value it keeps. */
  #processLine(text: string, start: number, end: number): void {
    if (start === end) {
      this.#dispatch();
      return;
    }
    const first = text.charCodeAt(start);
    if (first === COLON) {
      const textStart = text.charCodeAt(start + 1) === SPACE ? start + 2 : start + 1;
      this.#handlers.onComment?.(text.slice(textStart, end));
      return;
    }
    // Fast paths for the fields almost every stream consists of; same rules as below.
    if (first === 0x64 && text.startsWith("data:", start)) {
      this.#appendData(text.slice(valueStart(text, start + 5), end));
      return;
    }
    if (
      first === 0x69 &&
      text.charCodeAt(start + 1) === 0x64 &&
      text.charCodeAt(start + 2) === COLON
    ) {
      this.#setId(text.slice(valueStart(text, start + 3), end));
      return;
    }
    if (first === 0x65 && text.startsWith("event:", start)) {
      this.#eventType = text.slice(valueStart(text, start + 6), end);
      return;
    }
    const line = text.slice(start, end);
    const colon = line.indexOf(":");
    let field: string;
    let value: string;
    if (colon === -1) {
      // "If a line does not contain a colon": the whole line is the field name, value "".
      field = line;
      value = "";
    } else {
      field = line.slice(0, colon);
      // Only one leading space is removed.
      value = line.slice(valueStart(line, colon + 1));
    }
    switch (field) {
      case "data":
        this.#appendData(value);
        return;
      case "event":
        this.#eventType = value;
        return;
      case "id":
        this.#setId(value);
        return;
      case "retry":
        if (/^[0-9]+$/.test(value)) this.#handlers.onRetry?.(Number.parseInt(value, 10));
        else this.#handlers.onProblem?.({ type: "invalid-retry", value });
        return;
      default:
        this.#handlers.onProblem?.({ type: "unknown-field", field });
    }
  }

  #appendData(value: string): void {
    if (this.#skippingEvent) return;
    this.#data = this.#data === undefined ? value : `${this.#data}\n${value}`;
    if (this.#data.length > this.#maxEventSize) this.#tooLarge();
  }

  #setId(value: string): void {
    if (value.includes("\0")) this.#handlers.onProblem?.({ type: "invalid-id", value });
    else this.#lastEventIdBuffer = value;
  }

  #dispatch(): void {
    // Step 1: the last event ID string is set even when nothing is dispatched.
    this.lastEventId = this.#lastEventIdBuffer;
    this.#skippingEvent = false;
    const data = this.#data;
    const type = this.#eventType;
    this.#data = undefined;
    this.#eventType = "";
    // Step 2: an empty data buffer dispatches nothing.
    if (data === undefined) return;
    this.#handlers.onEvent({
      type: type === "" ? "message" : type,
      data,
      lastEventId: this.lastEventId,
    });
  }
}
