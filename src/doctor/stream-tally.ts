/**
 * What doctor keeps of a watched stream: a summary that stays the same size however long the
 * watch and however many events. Counts, maxima and running values are updated as events
 * arrive; of the ids, the first and last `idMemory` are kept (as keys of bounded length that do
 * not pin their chunks), plus the range when they are consecutive integers. Pure: the probe
 * passes every time.
 */
import { eventIdKey, sequenceNumber } from "../sse/event-id.js";

/** New ids remembered at each end of a watch, for the resume test's "repeated" check. */
export const idMemory = 1000;
/** Ids listed in order (the first ones of a watch), and repeated ids listed by the resume test. */
export const idsListed = 20;
/** Events closer together than this arrived "at once" (one read from the socket). */
export const burstGapMs = 25;
/** Events this close came in one read: a held-back batch, not a fast sender. */
export const sameReadGapMs = 2;
/** A group of at least this many events at once ... */
export const burstMinEvents = 3;
/** ... after at least this much silence looks like a buffer being flushed. */
export const burstSilenceMs = 400;

export interface Burst {
  atMs: number;
  events: number;
  silenceMs: number;
}

export interface StreamSummary {
  events: number;
  /** Events that set a new id: their last event ID differs from the event before them. */
  eventsWithNewIds: number;
  /** The last event's last event ID ("" when none). */
  lastEventId: string;
  /** The first new ids, in order (at most `idsListed`). */
  firstNewIds: string[];
  /** Every new id was a decimal integer one above the one before: their range. */
  consecutiveIntegerIds?: { first: number; last: number };
  /** New ids that `seenBefore` knew (the resume test: ids the first watch had). */
  repeatedIds: number;
  /** The first repeated ids (at most `idsListed`). */
  firstRepeatedIds: string[];
  /** UTF-8 size of the largest event's data. */
  largestEventBytes: number;
  /** Events over the decoder's limit, skipped. */
  oversizedEvents: number;
  /** Groups of events that arrived at once after a silence (a buffer being flushed). */
  bursts: number;
  largestBurst?: Burst;
  comments: number;
  /** Longest time between heartbeat comments, the first counted from the headers. */
  longestCommentIntervalMs: number;
  /** Longest stretch without any byte, from the headers to the end of the watch. */
  longestSilenceMs: number;
  /** When the first body byte and the first event came, ms since the headers. */
  firstByteAtMs?: number;
  firstEventAtMs?: number;
  /** When the last body byte came, ms since the headers (0 when none did). */
  lastByteAtMs: number;
  /** Gaps between consecutive events, and how many came in one read (`sameReadGapMs`). */
  eventGaps: number;
  eventGapsAtOnce: number;
  /** Body chunks read, and how many were exactly a memory page or two (4 or 8 KiB). */
  chunks: number;
  pageSizedChunks: number;
}

export class StreamTally {
  readonly #seenBefore: ((id: string) => boolean) | undefined;
  #events = 0;
  #eventsWithNewIds = 0;
  #previousId = "";
  #lastEventIdKey = "";
  readonly #firstNewIds: string[] = [];
  /** The first `idMemory` new ids, and a ring of the most recent `idMemory`. */
  readonly #firstIds = new Set<string>();
  readonly #recentIds: string[] = [];
  readonly #recentCounts = new Map<string, number>();
  #recentNext = 0;
  #integerRun: { first: number; last: number } | undefined;
  #integersOnly = true;
  #repeatedIds = 0;
  readonly #firstRepeatedIds: string[] = [];
  #largestEventBytes = 0;
  #oversizedEvents = 0;
  // Burst detection, one group at a time (same rule as a pass over all event times).
  #groupStartMs = 0;
  #groupSize = 0;
  #groupSilenceMs = 0;
  #lastEventAtMs: number | undefined;
  #bursts = 0;
  #largestBurst: Burst | undefined;
  #comments = 0;
  #lastCommentAtMs = 0;
  #longestCommentIntervalMs = 0;
  #lastByteAtMs = 0;
  #longestSilenceMs = 0;
  #firstByteAtMs: number | undefined;
  #firstEventAtMs: number | undefined;
  #eventGaps = 0;
  #eventGapsAtOnce = 0;
  #chunks = 0;
  #pageSizedChunks = 0;

  /** `seenBefore`: ids known from an earlier watch; new ids it knows count as repeated. */
  constructor(seenBefore?: (id: string) => boolean) {
    this.#seenBefore = seenBefore;
  }

  /** A chunk of `bytes` body bytes arrived `atMs` after the response headers. */
  chunk(atMs: number, bytes = 0): void {
    this.#firstByteAtMs ??= atMs;
    this.#chunks++;
    // A buffer let go whole is a page or two: how nginx's proxy buffers come out.
    if (bytes === 4096 || bytes === 8192) this.#pageSizedChunks++;
    this.#longestSilenceMs = Math.max(this.#longestSilenceMs, atMs - this.#lastByteAtMs);
    this.#lastByteAtMs = Math.max(this.#lastByteAtMs, atMs);
  }

  comment(atMs: number): void {
    this.#comments++;
    this.#longestCommentIntervalMs = Math.max(
      this.#longestCommentIntervalMs,
      atMs - this.#lastCommentAtMs,
    );
    this.#lastCommentAtMs = atMs;
  }

  /** An event larger than the decoder's limit was skipped. */
  oversizedEvent(): void {
    this.#oversizedEvents++;
  }

  event(atMs: number, lastEventId: string, dataBytes: number): void {
    this.#events++;
    this.#firstEventAtMs ??= atMs;
    if (dataBytes > this.#largestEventBytes) this.#largestEventBytes = dataBytes;
    this.#trackBursts(atMs);
    const isNewId = lastEventId !== "" && lastEventId !== this.#previousId;
    if (lastEventId !== this.#previousId) {
      // The decoder's id is a slice of its chunk: keep a detached key, once per change.
      this.#lastEventIdKey = lastEventId === "" ? "" : eventIdKey(lastEventId);
      this.#previousId = lastEventId;
    }
    if (isNewId) this.#newId(this.#lastEventIdKey);
  }

  /** New ids so far. */
  get newIdCount(): number {
    return this.#eventsWithNewIds;
  }

  /**
   * Whether the watch saw this id (a key as another tally keeps it) as a new id: exact for the
   * remembered ids and for a run of consecutive integers.
   */
  knows(key: string): boolean {
    if (this.#firstIds.has(key) || this.#recentCounts.has(key)) return true;
    const run = this.#integerRun;
    const value = sequenceNumber(key);
    if (run && this.#integersOnly && value >= 0) return value >= run.first && value <= run.last;
    return false;
  }

  /** The summary; `endMs` is when the watch ended (the end of the last silence). */
  summary(endMs: number): StreamSummary {
    this.#closeGroup();
    const summary: StreamSummary = {
      events: this.#events,
      eventsWithNewIds: this.#eventsWithNewIds,
      lastEventId: this.#lastEventIdKey,
      firstNewIds: [...this.#firstNewIds],
      repeatedIds: this.#repeatedIds,
      firstRepeatedIds: [...this.#firstRepeatedIds],
      largestEventBytes: this.#largestEventBytes,
      oversizedEvents: this.#oversizedEvents,
      bursts: this.#bursts,
      comments: this.#comments,
      longestCommentIntervalMs: this.#longestCommentIntervalMs,
      longestSilenceMs: Math.max(this.#longestSilenceMs, endMs - this.#lastByteAtMs),
      lastByteAtMs: this.#lastByteAtMs,
      eventGaps: this.#eventGaps,
      eventGapsAtOnce: this.#eventGapsAtOnce,
      chunks: this.#chunks,
      pageSizedChunks: this.#pageSizedChunks,
    };
    if (this.#firstByteAtMs !== undefined) summary.firstByteAtMs = this.#firstByteAtMs;
    if (this.#firstEventAtMs !== undefined) summary.firstEventAtMs = this.#firstEventAtMs;
    if (this.#largestBurst) summary.largestBurst = { ...this.#largestBurst };
    if (this.#integerRun && this.#integersOnly && this.#eventsWithNewIds >= 1) {
      summary.consecutiveIntegerIds = { ...this.#integerRun };
    }
    return summary;
  }

  #newId(key: string): void {
    this.#eventsWithNewIds++;
    if (this.#firstNewIds.length < idsListed) this.#firstNewIds.push(key);
    if (this.#seenBefore?.(key)) {
      this.#repeatedIds++;
      if (this.#firstRepeatedIds.length < idsListed) this.#firstRepeatedIds.push(key);
    }
    if (this.#integersOnly) {
      const value = sequenceNumber(key);
      const run = this.#integerRun;
      if (value < 0 || (run && value !== run.last + 1)) this.#integersOnly = false;
      else if (run) run.last = value;
      else this.#integerRun = { first: value, last: value };
    }
    if (this.#firstIds.size < idMemory) {
      this.#firstIds.add(key);
      return;
    }
    // The ring of recent ids: the oldest one leaves as the new one comes.
    const leaving = this.#recentIds[this.#recentNext];
    if (leaving !== undefined) {
      const count = this.#recentCounts.get(leaving)! - 1;
      if (count === 0) this.#recentCounts.delete(leaving);
      else this.#recentCounts.set(leaving, count);
    }
    this.#recentIds[this.#recentNext] = key;
    this.#recentNext = (this.#recentNext + 1) % idMemory;
    this.#recentCounts.set(key, (this.#recentCounts.get(key) ?? 0) + 1);
  }

  #trackBursts(atMs: number): void {
    const previous = this.#lastEventAtMs;
    this.#lastEventAtMs = atMs;
    if (previous !== undefined) {
      this.#eventGaps++;
      if (atMs - previous < sameReadGapMs) this.#eventGapsAtOnce++;
    }
    if (previous !== undefined && atMs - previous < burstGapMs) {
      this.#groupSize++;
      return;
    }
    this.#closeGroup();
    // The first group is measured from the response headers: a backlog sent at once on
    // connect (history replay) is not a burst after silence.
    this.#groupStartMs = atMs;
    this.#groupSilenceMs = previous === undefined ? atMs : atMs - previous;
    this.#groupSize = 1;
  }

  #closeGroup(): void {
    if (this.#groupSize >= burstMinEvents && this.#groupSilenceMs >= burstSilenceMs) {
      this.#bursts++;
      if (!this.#largestBurst || this.#groupSize > this.#largestBurst.events) {
        this.#largestBurst = {
          atMs: this.#groupStartMs,
          events: this.#groupSize,
          silenceMs: this.#groupSilenceMs,
        };
      }
    }
    this.#groupSize = 0;
  }
}
