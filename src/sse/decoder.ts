/**
 * The event-stream decoder: bytes in, dispatched events out, no I/O.
 *
 * eventsource-parser does HTML Standard §9.2.5 "Parsing an event stream" and §9.2.6
 * "Interpreting an event stream" (lines, fields, dispatch). This adapter adds what a browser's
 * EventSource does around that and this tool relies on: UTF-8 decoding with the one-BOM rule,
 * the last event ID string kept across blocks and reconnections, the type "message", a bound on
 * what is held, and recoverable problems in this tool's terms. See README "Why
 * eventsource-parser".
 *
 * The bound: the parser is only ever fed whole lines. The adapter holds the unfinished line
 * itself, so it can measure it and let an oversized one stream past unkept, and it counts the
 * data lines of the block the parser holds, so it can make the parser drop that data. An event
 * over the bound is skipped and decoding goes on with the next one; the parser is never
 * stopped (its own `maxBufferSize` would stop it for good).
 */
import {
  createParser,
  type EventSourceMessage,
  type EventSourceParser,
  type ParseError,
} from "eventsource-parser";
import { Utf8Body } from "./utf8-body.js";

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;

/** One dispatched event, as a browser's MessageEvent would carry it. */
export interface StreamEvent {
  /** The event type: the `event:` field's value, or "message" when it was empty or absent. */
  type: string;
  /** The data buffer with its one trailing LF removed (§9.2.6 dispatch step 3). */
  data: string;
  /** The source's last event ID string at dispatch time, as `event.lastEventId` ("" if none). */
  lastEventId: string;
  /**
   * true when `lastEventId` is not "" and the event's own block had no `id:` line: the id was
   * inherited from an earlier block (what one debugs). Absent otherwise.
   */
  inheritedId?: true;
}

/** A recoverable oddity in the stream. None of them stops the decoder. */
export type DecodeProblem =
  /** Bytes that are not UTF-8: each maximal invalid sequence became one U+FFFD (§9.2.5). */
  | { type: "invalid-utf8"; count: number }
  /** `retry:` whose value is not only ASCII digits: ignored, as the spec says. */
  | { type: "invalid-retry"; value: string }
  /** A line whose field name the spec does not know: ignored. */
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
  /** §9.2.6: the source's last event ID string, updated at every blank line that ends an id. */
  lastEventId: string;

  readonly #handlers: DecoderHandlers;
  readonly #maxEventSize: number;
  readonly #parser: EventSourceParser;
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
  /** Data lines of the block the parser holds, and their code units joined as the data buffer. */
  #dataLines = 0;
  #dataLength = 0;
  /** The block the parser holds grew over the bound: its dispatch is dropped. */
  #skippingEvent = false;
  /** The parser is being made to drop its block: its id is kept, its event dropped. */
  #flushing = false;
  #flushedId: string | undefined;
  /** `Error.stackTraceLimit` outside the parser, while the parser runs (see `#parse`). */
  #stackTraceLimit = 10;

  constructor(handlers: DecoderHandlers, options: DecoderOptions = {}) {
    this.#handlers = handlers;
    this.#maxEventSize = options.maxEventSize ?? Number.POSITIVE_INFINITY;
    this.lastEventId = options.lastEventId ?? "";
    this.#parser = createParser({
      // Called at the blank line that ends a block with an `id:`, with or without data, and
      // before that block's event: dispatch step 1 sets the last event ID string either way.
      onId: (id) => {
        if (this.#flushing) this.#flushedId = id;
        else this.lastEventId = id;
      },
      // One closure each (thousands of decoders live in `load`), run with the caller's stack
      // traces (see `#parse`). Retry and comment handlers are called on `handlers`, so a class
      // instance's methods keep their `this`.
      onEvent: (message) => {
        Error.stackTraceLimit = this.#stackTraceLimit;
        this.#dispatch(message);
        Error.stackTraceLimit = 0;
      },
      onRetry:
        // Stryker disable next-line ConditionalExpression: performance only: a closure is passed that calls no handler
        handlers.onRetry &&
        ((ms) => {
          Error.stackTraceLimit = this.#stackTraceLimit;
          this.#handlers.onRetry?.(ms);
          Error.stackTraceLimit = 0;
        }),
      onComment:
        // Stryker disable next-line ConditionalExpression: performance only: a closure is passed that calls no handler
        handlers.onComment &&
        ((text) => {
          Error.stackTraceLimit = this.#stackTraceLimit;
          this.#handlers.onComment?.(text);
          Error.stackTraceLimit = 0;
        }),
      onError: (error) => {
        Error.stackTraceLimit = this.#stackTraceLimit;
        this.#onParseError(error);
        Error.stackTraceLimit = 0;
      },
    });
    this.#primeParser();
  }

  /**
   * Code units held for the unfinished line and the pending data buffer: never more than
   * `maxEventSize` after a feed.
   */
  get bufferedLength(): number {
    return this.#lineLength + this.#dataLength;
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
    // Whole lines and the unfinished one are decoded apart (CR and LF are never part of a UTF-8
    // sequence), so each is a string of its own rather than a slice of one: the parser reads a
    // flat string fastest. The invalid sequences of the chunk are told once, however it is cut.
    const lastBreak = lastLineBreakByte(bytes);
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,UnaryOperator,ArithmeticOperator: performance only: decoding the chunk whole or cut anywhere gives the same text and count
    const whole = lastBreak === -1 || lastBreak === bytes.length - 1;
    const lines = this.#utf8.decode(whole ? bytes : bytes.subarray(0, lastBreak + 1));
    let invalid = this.#utf8.invalidSequences;
    let rest = "";
    if (!whole) {
      rest = this.#utf8.decode(bytes.subarray(lastBreak + 1));
      invalid += this.#utf8.invalidSequences;
    }
    if (invalid > 0) this.#handlers.onProblem?.({ type: "invalid-utf8", count: invalid });
    this.feedText(lines);
    this.feedText(rest);
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
      start = this.#afterLineEnd(chunk, start);
      if (start === -1) return;
      this.#discardingLine = false;
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
    this.#dataLines = 0;
    this.#dataLength = 0;
    this.#skippingEvent = false;
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
    this.#parse("\uFEFF");
  }

  /**
   * Runs the parser on `text`. It makes a ParseError, an Error with a stack trace, for each
   * unknown field or bad `retry:`, and a hostile stream can hold one on every line: the stack
   * traces would cost several times the decoding itself. So the parser runs with stack traces
   * off, and the handlers it calls run with the caller's setting (set in each parser callback).
   */
  #parse(text: string): void {
    const stackTraceLimit = Error.stackTraceLimit;
    this.#stackTraceLimit = stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      this.#parser.feed(text);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  }

  /** Whole lines (ending in CR or LF) to the parser, then the bound on what it now holds. */
  #feedLines(lines: string): void {
    const lfEndsCrlf = this.#parserAwaitsLf && lines.charCodeAt(0) === LF;
    this.#parse(lines);
    this.#parserAwaitsLf = lines.charCodeAt(lines.length - 1) === CR;
    this.#countHeldData(lines, lfEndsCrlf);
    if (this.#dataLength > this.#maxEventSize) this.#eventTooLarge();
  }

  /** Keeps a piece of the unfinished line, or lets the line go when it cannot fit. */
  #holdLinePart(part: string): void {
    // A character other than a line break came: no LF can now pair with the last CR.
    this.#parserAwaitsLf = false;
    this.#skipLeadingLf = false;
    if (this.#lineLength + part.length + this.#dataLength <= this.#maxEventSize) {
      this.#lineParts.push(part);
      this.#lineLength += part.length;
      return;
    }
    this.#lineParts = [];
    this.#lineLength = 0;
    this.#discardingLine = true;
    this.#eventTooLarge();
  }

  /**
   * Counts the data lines of the last block in `lines` (after its last blank line, else added
   * to what the parser already held): the parser's data buffer, without asking the parser.
   */
  #countHeldData(lines: string, lfEndsCrlf: boolean): void {
    const blockStart = lastBlockStart(lines, lfEndsCrlf);
    let from = 0;
    if (blockStart !== -1) {
      this.#dataLines = 0;
      this.#dataLength = 0;
      from = blockStart;
    }
    const length = lines.length;
    // The next LF and CR at or after `from` (`length`: none), searched again once passed.
    let nextLf = -1;
    let nextCr = -1;
    // Stryker disable next-line EqualityOperator: one more pass at from === length (<=) reads an empty line, no data; none (>=) fails the tests
    while (from < length) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: performance only when searching more often (true, <=); never searching (false, >=) fails the tests
      if (nextLf < from) nextLf = indexOrLength(lines, "\n", from);
      // Stryker disable next-line ConditionalExpression,EqualityOperator: performance only when searching more often (true, <=); never searching (false, >=) fails the tests
      if (nextCr < from) nextCr = indexOrLength(lines, "\r", from);
      const end = Math.min(nextLf, nextCr);
      // §9.2.6: a `data` field is the name "data" followed by a colon or by the line's end.
      if (
        lines.startsWith("data", from) &&
        (from + 4 === end || lines.charCodeAt(from + 4) === COLON)
      ) {
        let valueStart = Math.min(from + 5, end);
        // The value starts after one space (`valueStart` is at most `end`, a line break).
        if (lines.charCodeAt(valueStart) === SPACE) valueStart++;
        this.#dataLength += (this.#dataLines > 0 ? 1 : 0) + (end - valueStart);
        this.#dataLines++;
      }
      from = end + 1;
    }
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
    this.#parse("\r\n");
    this.#flushing = false;
    // The block goes on: its id is handed back, and an empty data line makes its real end
    // reach `onEvent`, which ends the skip. An LF pairing with the last CR is now ours to skip.
    const id = this.#flushedId === undefined ? "" : `id:${this.#flushedId}\n`;
    this.#flushedId = undefined;
    this.#parse(`${id}data\n`);
    this.#skipLeadingLf = this.#parserAwaitsLf;
    this.#parserAwaitsLf = false;
    this.#dataLines = 1;
    this.#dataLength = 0;
  }

  /** After the line break at or after `from` (CR LF counted whole), or -1: none yet. */
  #afterLineEnd(chunk: string, from: number): number {
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

/** Where `search` is in `text` at or after `from`, or `text.length`. */
function indexOrLength(text: string, search: string, from: number): number {
  const index = text.indexOf(search, from);
  return index === -1 ? text.length : index;
}

/** Where the last line break of `text` is (CR or LF), or -1. */
function lastLineBreak(text: string): number {
  // Stryker disable next-line ArithmeticOperator: performance only: past the end (NaN) the search below finds the same break
  const last = text.length - 1;
  const code = text.charCodeAt(last);
  // Stryker disable next-line ConditionalExpression: not taking this fast path (false) is performance only; taking it always (true) fails the tests
  if (code === LF || code === CR) return last;
  const lf = text.lastIndexOf("\n");
  // A CR after the last LF is searched for in the short rest only.
  // Stryker disable next-line ConditionalExpression,EqualityOperator,UnaryOperator,StringLiteral,ArithmeticOperator: skipping this fast path (false, lf === -1, lf !== +1, "", lf - 1) is performance only; returning lf before a CR (true, !== -1, === +1) fails the tests
  if (lf !== -1 && text.indexOf("\r", lf + 1) === -1) return lf;
  return Math.max(lf, text.lastIndexOf("\r"));
}

/**
 * Where the last CR or LF byte of `bytes` is, or -1. Only where `feed` cuts a chunk: any index
 * gives the same text, so each mutant below is performance only (the pieces of a line cut off a
 * line break are joined in feedText, a little slower).
 */
function lastLineBreakByte(bytes: Uint8Array): number {
  // Stryker disable next-line ArithmeticOperator: performance only: where feed cuts (see above)
  const last = bytes.length - 1;
  const byte = bytes[last];
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: performance only: where feed cuts (see above)
  if (byte === LF || byte === CR) return last;
  const lf = bytes.lastIndexOf(LF);
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,UnaryOperator,ArithmeticOperator: performance only: where feed cuts (see above)
  if (lf !== -1 && bytes.indexOf(CR, lf + 1) === -1) return lf;
  // Stryker disable next-line MethodExpression: performance only: where feed cuts (see above)
  return Math.max(lf, bytes.lastIndexOf(CR));
}

/**
 * Where the last block of `lines` (whole lines) starts: after its last blank line, an empty
 * line whose break (CR, LF or CR LF) comes right after another break. `lines.length` when it
 * ends with a blank line, -1 when it holds none. Searched from the end: usually a few characters
 * back. `lfEndsCrlf`: its first character is the LF of a CRLF begun before it.
 */
function lastBlockStart(lines: string, lfEndsCrlf: boolean): number {
  // Stryker disable next-line MethodExpression,ArithmeticOperator: performance only: a nearer start only searches the whole of `lines` by the loop below
  const nearStart = Math.max(0, lines.length - 256);
  // Stryker disable next-line ArithmeticOperator: starting past the end only reads NaN first (no line break)
  for (let i = lines.length - 1; i >= nearStart; i--) {
    const code = lines.charCodeAt(i);
    if (code !== LF && code !== CR) continue;
    // The break ending at i starts at `at` (the CR of a CR LF; charCodeAt(-1) is NaN).
    const at = code === LF && lines.charCodeAt(i - 1) === CR ? i - 1 : i;
    if (at === 0) {
      // The first line: empty, unless this LF only ends a CRLF begun before `lines` (only then
      // is `lfEndsCrlf` true: `lines` starts with that LF).
      return lfEndsCrlf ? -1 : i + 1;
    }
    const before = lines.charCodeAt(at - 1);
    // Stryker disable next-line ArithmeticOperator: starting the block at the blank line's breaks instead (i - 1) counts the same: empty lines
    if (before === LF || before === CR) return i + 1;
    i = at;
  }
  // Stryker disable next-line ConditionalExpression: false is performance only (the loop searched all of `lines`, the search below finds nothing more); true fails the tests
  if (nearStart === 0) return -1;
  // Further back (a block longer than a few lines): every blank line holds one of these pairs.
  // Stryker disable next-line ArithmeticOperator: a pair up to nearStart + 2 would be a blank line the loop already found
  const before = nearStart - 2;
  const pair = Math.max(
    lines.lastIndexOf("\n\n", before),
    lines.lastIndexOf("\r\r", before),
    lines.lastIndexOf("\n\r", before),
  );
  if (pair !== -1) return pair + 2;
  const first = lines.charCodeAt(0);
  return (first === LF && !lfEndsCrlf) || first === CR ? 1 : -1;
}
