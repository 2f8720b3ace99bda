/**
 * The event-stream decoder: bytes in, dispatched events out, no I/O.
 *
 * eventsource-parser does HTML Standard §9.2.5 "Parsing an event stream" and §9.2.6
 * "Interpreting an event stream" (lines, fields, dispatch). This adapter adds what a browser's
 * EventSource does around that and this tool relies on: UTF-8 decoding with the one-BOM rule,
 * the last event ID string kept across blocks and reconnections, the type "message", a bound
 * on what is held, and recoverable problems in this tool's terms. See README "Why
 * eventsource-parser".
 */
import {
  createParser,
  type EventSourceMessage,
  type EventSourceParser,
  type ParseError,
} from "eventsource-parser";

const LF = 0x0a;
const CR = 0x0d;

/** One dispatched event, as a browser's MessageEvent would carry it. */
export interface StreamEvent {
  /** The event type: the `event:` field's value, or "message" when it was empty or absent. */
  type: string;
  /** The data buffer with its one trailing LF removed (§9.2.6 dispatch step 3). */
  data: string;
  /** The source's last event ID string at dispatch time, as `event.lastEventId` ("" if none). */
  lastEventId: string;
}

/** A recoverable oddity in the stream. Only `event-too-large` stops the decoder. */
export type DecodeProblem =
  /** `retry:` whose value is not only ASCII digits: ignored, as the spec says. */
  | { type: "invalid-retry"; value: string }
  /**
   * A complete line whose field name the spec does not know: ignored. (A line cut across chunks
   * that can no longer become a known field is dropped by the parser without a report.)
   */
  | { type: "unknown-field"; field: string }
  /** A line or event grew over `maxEventSize`; the decoder discards input until restarted. */
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
  /** §9.2.6: the source's last event ID string, updated at every blank line that ends an id. */
  lastEventId: string;

  readonly #handlers: DecoderHandlers;
  readonly #maxEventSize: number;
  readonly #parser: EventSourceParser;
  // The BOM is stripped here, not by TextDecoder: Node 24's streaming TextDecoder strips a second
  // BOM when the first one is split across chunks (a second U+FEFF is data, §9.2.5).
  #utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
  /** No text decoded yet from this body: a leading U+FEFF is still to be stripped. */
  #atBodyStart = true;
  /** Code units after the last CR or LF fed: the unfinished line the parser may be holding. */
  #lineLength = 0;
  /** Set after `event-too-large`: everything is discarded until `startStream()`. */
  #overflowed = false;

  constructor(handlers: DecoderHandlers, options: DecoderOptions = {}) {
    this.#handlers = handlers;
    this.#maxEventSize = options.maxEventSize ?? Number.POSITIVE_INFINITY;
    this.lastEventId = options.lastEventId ?? "";
    const { onRetry, onComment } = handlers;
    this.#parser = createParser({
      // The parser bounds its unfinished line plus the data buffer, checked after every line.
      maxBufferSize: Number.isFinite(this.#maxEventSize) ? this.#maxEventSize : undefined,
      // Called at the blank line that ends a block with an `id:`, with or without data, and
      // before that block's event: dispatch step 1 sets the last event ID string either way.
      onId: (id) => {
        if (!this.#overflowed) this.lastEventId = id;
      },
      onEvent: (message) => this.#dispatch(message),
      onRetry:
        onRetry &&
        ((ms) => {
          if (!this.#overflowed) onRetry(ms);
        }),
      // Only with a handler: without one the parser does not hold partial comment lines at all.
      onComment:
        onComment &&
        ((text) => {
          if (!this.#overflowed) onComment(text);
        }),
      onError: (error) => this.#onParseError(error),
    });
    this.#primeParser();
  }

  /**
   * Code units of the unfinished line, never more than `maxEventSize` after a feed. (The parser
   * holds that line, or nothing when it already knows the line is no field, plus the data
   * buffer of the current event; `maxBufferSize` bounds the two together.)
   */
  get bufferedLength(): number {
    return this.#lineLength;
  }

  /**
   * Begins a new response body (a new connection). Buffers are cleared; the last event ID is
   * kept, as browsers keep it across reconnections. The UTF-8 decoder is renewed so a leading
   * BOM of the new body is stripped again.
   */
  startStream(): void {
    this.#utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
    this.#atBodyStart = true;
    this.#lineLength = 0;
    this.#overflowed = false;
    this.#parser.reset();
    this.#primeParser();
  }

  /**
   * Feeds raw body bytes. §9.2.5: decoded as UTF-8 whatever the Content-Type says; invalid
   * sequences become U+FFFD; one leading BOM is stripped.
   */
  feed(bytes: Uint8Array): void {
    let text = this.#utf8.decode(bytes, { stream: true });
    // A chunk holding only part of the BOM decodes to "": keep waiting for the first character.
    if (this.#atBodyStart && text.length > 0) {
      this.#atBodyStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.feedText(text);
  }

  /** Feeds already decoded text (used by tests and by `serve --format sse`). */
  feedText(chunk: string): void {
    if (this.#overflowed || chunk.length === 0) return;
    this.#parser.feed(chunk);
    if (this.#overflowed) return;
    // The unfinished line: what follows the last line break, found from the end (usually a few
    // characters back). Any line counts, also one the parser drops as no field, as `--max-event-size`
    // promises ("largest line or event").
    let index = chunk.length - 1;
    while (index >= 0) {
      const code = chunk.charCodeAt(index);
      if (code === LF || code === CR) break;
      index--;
    }
    this.#lineLength = index < 0 ? this.#lineLength + chunk.length : chunk.length - 1 - index;
    if (this.#lineLength > this.#maxEventSize) this.#overflow();
  }

  /**
   * The body ended. §9.2.6: "Once the end of the file is reached, any pending data must be
   * discarded" — an unfinished block is not dispatched.
   */
  endStream(): void {
    this.#utf8.decode();
    this.#lineLength = 0;
    this.#parser.reset();
    this.#primeParser();
  }

  /**
   * The parser strips a leading BOM itself, also one spelled as the three characters
   * U+00EF U+00BB U+00BF (for input decoded as Latin-1). Text decoded as UTF-8 with that start
   * is not a BOM (§9.2.5: the field name is then "ï»¿data", unknown), and the BOM of the bytes
   * was already handled in `feed`. Feeding the parser one U+FEFF at the start of every stream
   * uses up its BOM check, so it never strips anything itself.
   */
  #primeParser(): void {
    this.#parser.feed("\uFEFF");
  }

  #dispatch(message: EventSourceMessage): void {
    if (this.#overflowed) return;
    // The parser bounds what it holds across feeds; an event complete within one chunk is
    // checked here.
    if (message.data.length > this.#maxEventSize) {
      this.#overflow();
      return;
    }
    this.#handlers.onEvent({
      type: message.event ?? "message",
      data: message.data,
      lastEventId: this.lastEventId,
    });
  }

  #onParseError(error: ParseError): void {
    if (this.#overflowed) return;
    switch (error.type) {
      case "max-buffer-size-exceeded":
        this.#overflow();
        return;
      case "invalid-retry":
        this.#handlers.onProblem?.({ type: "invalid-retry", value: error.value ?? "" });
        return;
      case "unknown-field":
        this.#handlers.onProblem?.({ type: "unknown-field", field: error.field ?? "" });
        return;
    }
  }

  #overflow(): void {
    this.#overflowed = true;
    this.#lineLength = 0;
    this.#handlers.onProblem?.({ type: "event-too-large", limit: this.#maxEventSize });
  }
}
