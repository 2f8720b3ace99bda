/**
 * Where, in the bytes of an event stream, each block ends: the offset just past the blank line
 * that dispatched an event (or set the last event ID), and the last event ID a client has
 * there. `serve` uses it to cut a connection right after the nth event (--drop-after,
 * --stall-after) and to find where a replay resumes for a Last-Event-ID. The stream is read by
 * the one decoder (decoder.ts), fed line by line so that each dispatch has its offset. Pure.
 */
import { EventStreamDecoder } from "./decoder.js";
import { defaultMaxEventSizeBytes } from "./event-size.js";

const LF = 0x0a;
const CR = 0x0d;

/** One block's end, found in a chunk. */
export interface EventEnd {
  /** Offset in the chunk just past the block's blank line (its CRLF included). */
  offset: number;
  /** The last event ID string a client holds after this block (its Last-Event-ID). */
  lastEventId: string;
  /** The block dispatched an event; false when it only set the last event ID. */
  dispatched: boolean;
}

/** Bounds what one unfinished event may hold, as `listen`'s default --max-event-size does. */
const maxEventSize = defaultMaxEventSizeBytes;

export class EventEndFinder {
  readonly #decoder: EventStreamDecoder;
  #dispatched = 0;

  constructor(lastEventId = "") {
    this.#decoder = new EventStreamDecoder(
      {
        onEvent: () => {
          this.#dispatched++;
        },
      },
      { maxEventSize, lastEventId },
    );
  }

  /** The last event ID so far. */
  get lastEventId(): string {
    return this.#decoder.lastEventId;
  }

  /** A new response body begins (the last event ID is kept, as a client keeps it). */
  startStream(): void {
    this.#decoder.startStream();
  }

  /** Feeds a chunk; returns the ends of the blocks that finished in it, in order. */
  feed(chunk: Uint8Array): EventEnd[] {
    const ends: EventEnd[] = [];
    const decoder = this.#decoder;
    let start = 0;
    while (start < chunk.length) {
      let end = start;
      while (
        // Stryker disable next-line ConditionalExpression,EqualityOperator: same ends byte by byte
        end < chunk.length &&
        chunk[end] !== LF &&
        chunk[end] !== CR
      )
        end++;
      // One line with its line break (or the unfinished rest of the chunk).
      end = Math.min(end + 1, chunk.length);
      const before = this.#dispatched;
      const idBefore = decoder.lastEventId;
      decoder.feed(chunk.subarray(start, end));
      const dispatched = this.#dispatched > before;
      if (dispatched || decoder.lastEventId !== idBefore) {
        // A CRLF blank line dispatches at its CR; the block ends after the LF.
        const offset = chunk[end - 1] === CR && chunk[end] === LF ? end + 1 : end;
        // That LF goes to the decoder too, which knows it ends the CR's line.
        // Stryker disable next-line ConditionalExpression,EqualityOperator: an unfed LF is a no-op
        if (offset > end) decoder.feed(chunk.subarray(end, offset));
        ends.push({ offset, lastEventId: decoder.lastEventId, dispatched });
        end = offset;
      }
      start = end;
    }
    return ends;
  }
}
