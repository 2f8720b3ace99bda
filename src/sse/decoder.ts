/**
 * The event-stream decoder: bytes in, dispatched events out, no I/O.
 *
 * eventsource-parser does HTML Standard §9.2.5 "Parsing an event stream" and §9.2.6
 * "Interpreting an event stream" (lines, fields, dispatch). This adapter adds what a browser's
 * EventSource does around that and this tool relies on: UTF-8 decoding with the one-BOM rule,
 * the last event ID string kept across blocks and reconnections, the type "message", a bound on
 * what is held, and recoverable problems in this tool's terms. See docs/architecture.md
 * "Why eventsource-parser".
 *
 * The bound: the parser is only ever fed whole lines. The adapter holds the unfinished line
 * itself, so it can measure it and let an oversized one stream past unkept, and it measures the
 * data of the block the parser holds (held-data.ts), so it can make the parser drop that data.
 * An event over the bound is skipped and decoding goes on with the next one; the parser is
 * never stopped (its own `maxBufferSize` would stop it for good, and lose the block's id).
 */
import { HeldData } from "./held-data.js";
import { afterLineBreak, lastLineBreak } from "./line-breaks.js";
import {
  createQuietParser,
  type EventSourceMessage,
  type ParseError,
  type QuietParser,
} from "./quiet-parser.js";
import type { DecoderHandlers, DecoderOptions, StreamEvent } from "./stream-event.js";
import { Utf8Body } from "./utf8-body.js";

export type {
  DecodeProblem,
  DecoderHandlers,
  DecoderOptions,
  StreamEvent,
} from "./stream-event.js";

const LF = 0x0a;
const CR = 0x0d;

export class EventStreamDecoder {
  /** §9.2.6: the source's last event ID string, updated at every blank line that ends an id. */
  lastEventId: string;

  readonly #handlers: DecoderHandlers;
  readonly #maxEventSize: number;
  readonly #parser: QuietParser;
  /**
   * The body's bytes as text: the one-BOM rule, invalid sequences counted. Made at the first
   * `feed` of a body and dropped at its end: a TextDecoder holds about 1 KB of native memory, and
   * callers that decode text themselves (`feedText`, as `load`'s thousands of clients) need none.
   */
  #utf8: Utf8Body | undefined;
  /** The unfinished line, in the pieces it came in (joined once, when its end arrives). */
  #lineParts: string[] = [];
  /** Code units in `#lineParts`. */
  #lineLength = 0;
  /** After an oversized line: the rest of it is discarded up to its line break. */
  #discardingLine = false;
  /** An LF at the start of the next text ends a CRLF whose CR the parser did not see last. */
  // Stryker disable next-line BooleanLiteral: at a stream's start nothing is pending: a leading LF, skipped or a blank line, does nothing
  #skipLeadingLf = false;
  /** The parser's last text ended in CR: it takes a leading LF of the next one as its pair. */
  // Stryker disable next-line BooleanLiteral: at a stream's start nothing is held: a leading LF, blank line or not, leaves the count at 0
  #parserAwaitsLf = false;
  /** The data of the block the parser holds. */
  readonly #held = new HeldData();
  /** The block the parser holds grew over the bound: its dispatch is dropped. */
  #skippingEvent = false;
  /** The parser is being made to drop its block: its id is kept, its event dropped. */
  #flushing = false;
  #flushedId: string | undefined;

  constructor(handlers: DecoderHandlers, options: DecoderOptions = {}) {
    this.#handlers = handlers;
    this.#maxEventSize = options.maxEventSize ?? Number.POSITIVE_INFINITY;
    this.lastEventId = options.lastEventId ?? "";
    this.#parser = createQuietParser({
      // Called at the blank line that ends a block with an `id:`, with or without data, and
      // before that block's event: dispatch step 1 sets the last event ID string either way.
      onId: (id) => {
        if (this.#flushing) this.#flushedId = id;
        else this.lastEventId = id;
      },
      onEvent: (message) => this.#dispatch(message),
      // Called on `handlers`, so a class instance's methods keep their `this`.
      // Stryker disable next-line ConditionalExpression: performance only: a closure is passed that calls no handler
      onRetry: handlers.onRetry && ((ms) => handlers.onRetry?.(ms)),
      // Stryker disable next-line ConditionalExpression: performance only: a closure is passed that calls no handler
      onComment: handlers.onComment && ((text) => handlers.onComment?.(text)),
      onError: (error) => this.#onParseError(error),
    });
  }

  /**
   * Code units held for the unfinished line and the pending data buffer: never more than
   * `maxEventSize` after a feed.
   */
  get bufferedLength(): number {
    return this.#lineLength + this.#held.length;
  }

  /**
   * Begins a new response body (a new connection). Buffers are cleared; the last event ID is
   * kept, as browsers keep it across reconnections. The UTF-8 decoder is dropped, so the new
   * body's first `feed` makes a fresh one and a leading BOM is stripped again.
   */
  startStream(): void {
    this.#utf8 = undefined;
    this.#clear();
  }

  /**
   * Feeds raw body bytes. §9.2.5: decoded as UTF-8 whatever the Content-Type says; invalid
   * sequences become U+FFFD (counted as a problem); one leading BOM is stripped.
   */
  feed(bytes: Uint8Array): void {
    this.#utf8 ??= new Utf8Body();
    const text = this.#utf8.decode(bytes);
    const invalid = this.#utf8.invalidSequences;
    if (invalid > 0) this.#handlers.onProblem?.({ type: "invalid-utf8", count: invalid });
    this.feedText(text);
  }

  /** Feeds already decoded text (used by tests and by `serve --format sse`). */
  feedText(chunk: string): void {
    const length = chunk.length;
    if (length === 0) return;
    let start = 0;
    if (this.#skipLeadingLf) {
      this.#skipLeadingLf = false;
      if (chunk.charCodeAt(0) === LF) start = 1;
    }
    if (this.#discardingLine) {
      // The rest of an oversized line streams past: nothing of it is kept.
      start = afterLineBreak(chunk, start);
      if (start === -1) return;
      this.#discardingLine = false;
      // A CR ending the chunk may be the first half of a CRLF.
      if (start === length && chunk.charCodeAt(length - 1) === CR) this.#skipLeadingLf = true;
    }
    const lastBreak = lastLineBreak(chunk);
    if (lastBreak < start) {
      if (start < length) {
        // Stryker disable next-line ConditionalExpression: slicing always (false) is performance only; holding the whole chunk (true) fails the tests
        this.#holdLinePart(start === 0 ? chunk : chunk.slice(start));
      }
      return;
    }
    // Stryker disable next-line ConditionalExpression,ArithmeticOperator: slicing the whole chunk (false, length + 1) is performance only; using the chunk when it is not whole (true) or slicing short (lastBreak - 1) fails the tests
    let lines = start === 0 && lastBreak === length - 1 ? chunk : chunk.slice(start, lastBreak + 1);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: joining nothing held (true, >=) gives the same string, performance only; never joining (false, <=) fails the tests
    if (this.#lineLength > 0) {
      // One join makes one flat string (a concatenation would be read through its parts).
      this.#lineParts.push(lines);
      lines = this.#lineParts.join("");
      this.#lineParts = [];
      this.#lineLength = 0;
    }
    this.#feedLines(lines);
    if (lastBreak + 1 < length) this.#holdLinePart(chunk.slice(lastBreak + 1));
  }

  /**
   * The body ended. §9.2.6: "Once the end of the file is reached, any pending data must be
   * discarded" — an unfinished block is not dispatched.
   */
  endStream(): void {
    this.#utf8 = undefined;
    this.#clear();
  }

  #clear(): void {
    this.#lineParts = [];
    this.#lineLength = 0;
    this.#discardingLine = false;
    // Stryker disable next-line BooleanLiteral: at a stream's start nothing is pending: a leading LF, skipped or a blank line, does nothing
    this.#skipLeadingLf = false;
    // Stryker disable next-line BooleanLiteral: at a stream's start nothing is held: a leading LF, blank line or not, leaves the count at 0
    this.#parserAwaitsLf = false;
    this.#held.clear();
    this.#skippingEvent = false;
    this.#parser.reset();
  }

  /** Whole lines (ending in CR or LF) to the parser, then the bound on what it now holds. */
  #feedLines(lines: string): void {
    const lfEndsCrlf = this.#parserAwaitsLf && lines.charCodeAt(0) === LF;
    this.#parser.feed(lines);
    this.#parserAwaitsLf = lines.charCodeAt(lines.length - 1) === CR;
    this.#held.count(lines, lfEndsCrlf);
    if (this.#held.length > this.#maxEventSize) this.#eventTooLarge();
  }

  /** Keeps a piece of the unfinished line, or lets the line go when it cannot fit. */
  #holdLinePart(part: string): void {
    // A character other than a line break came: no LF can now pair with the last CR.
    this.#parserAwaitsLf = false;
    this.#skipLeadingLf = false;
    if (this.#lineLength + part.length + this.#held.length <= this.#maxEventSize) {
      this.#lineParts.push(part);
      this.#lineLength += part.length;
      return;
    }
    this.#lineParts = [];
    this.#lineLength = 0;
    this.#discardingLine = true;
    this.#eventTooLarge();
  }

  /** The event the parser holds is over the bound: told once, skipped, its data dropped. */
  #eventTooLarge(): void {
    if (!this.#skippingEvent) {
      this.#skippingEvent = true;
      this.#handlers.onProblem?.({ type: "event-too-large", limit: this.#maxEventSize });
    }
    // A blank line makes the parser give up the block: its id comes to `onId` (kept, not yet
    // the last event ID), its data to `onEvent` (dropped). CR LF is one blank line whether or
    // not the parser was waiting for the LF of a CRLF.
    this.#flushing = true;
    this.#flushedId = undefined;
    // Stryker disable next-line StringLiteral,CallExpression: memory only (the parser would keep the block's data until its end, then drop it); the heap test "what the parser holds is bounded too", left out of mutation runs for its cost, fails on it
    this.#parser.feed("\r\n");
    this.#flushing = false;
    // The block goes on: its id is handed back, and an empty data line makes its real end
    // reach `onEvent`, which ends the skip. An LF pairing with the last CR is now ours to skip.
    const id = this.#flushedId === undefined ? "" : `id:${this.#flushedId}\n`;
    this.#flushedId = undefined;
    this.#parser.feed(`${id}data\n`);
    this.#skipLeadingLf = this.#parserAwaitsLf;
    this.#parserAwaitsLf = false;
    this.#held.lines = 1;
    this.#held.length = 0;
  }

  #dispatch(message: EventSourceMessage): void {
    if (this.#flushing) return;
    if (this.#skippingEvent) {
      // The real end of a skipped block: what it still brought is dropped too.
      this.#skippingEvent = false;
      return;
    }
    // A block that came whole within one feed is measured here.
    if (message.data.length > this.#maxEventSize) {
      this.#handlers.onProblem?.({ type: "event-too-large", limit: this.#maxEventSize });
      return;
    }
    const event: StreamEvent = {
      type: message.event ?? "message",
      data: message.data,
      lastEventId: this.lastEventId,
    };
    if (message.id === undefined && this.lastEventId !== "") event.inheritedId = true;
    this.#handlers.onEvent(event);
  }

  #onParseError(error: ParseError): void {
    switch (error.type) {
      case "invalid-retry":
        // Stryker disable next-line StringLiteral: eventsource-parser always sets it for this error type; the fallback is for its type only
        this.#handlers.onProblem?.({ type: "invalid-retry", value: error.value ?? "" });
        return;
      case "unknown-field":
        // Stryker disable next-line StringLiteral: eventsource-parser always sets it for this error type; the fallback is for its type only
        this.#handlers.onProblem?.({ type: "unknown-field", field: error.field ?? "" });
        return;
    }
  }
}
