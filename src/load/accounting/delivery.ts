/**
 * Delivery accounting: which client received which event id, and so which ids went missing,
 * arrived twice or out of order, and how far apart in time the clients received each id (the
 * fan-out skew). Pure: the pool hands in (client, id, time) and reads totals at the end.
 *
 * Memory is bounded and small per client: counters in typed arrays indexed by client, never a
 * set of every id a client saw. Two rules find missing events:
 *
 * - Sequence ids (decimal numbers that mostly go up by one, as `serve --ids`, counters and
 *   offsets give): every number between a client's first and highest id that it did not get is
 *   missing. Each client keeps a window of the 256 ids below its highest (one bit each), so an id
 *   arriving late within the window is out of order, not missing, and one arriving again is a
 *   duplicate. A client that follows the shared sequence (its first id was new when it
 *   connected) is also held to the ids that others received after it had been connected for
 *   `settleMs` and before it got its first id, and to those others received up to the end while
 *   it got nothing more (a stalled stream).
 * - Other ids (and numbers that are not a sequence, such as timestamps): an id that every other
 *   client connected at the time received (all but at most 10 % of them) is missing for each
 *   client that was connected, for `settleMs` already, and did not get it (id-ring.ts).
 *
 * An event without an `id:` field carries the previous id as its last event ID (HTML §9.2.6);
 * such an event is counted but not accounted by id. Seeing the same last event ID twice in a row
 * is therefore only a duplicate when the event also looks the same (type and data fingerprint).
 */
import { eventIdKey, sequenceNumber } from "../../sse/event-id.js";
import type { DeliveryResult, IdKind } from "./delivery-result.js";
import { FanOutSkew } from "./fan-out-skew.js";
import type { DurationHistogram } from "./histogram.js";
import { IdRing, RingOutcome } from "./id-ring.js";
import { SequenceTimeline } from "./sequence-timeline.js";
import {
  advanceWindowByOne,
  shiftWindow,
  windowBits,
  windowHoles,
  windowWords,
} from "./sequence-window.js";

export interface DeliveryOptions {
  clients: number;
  /**
   * A client is held to an id only if its stream had been open this long when the id was first
   * received by anyone, and ids first received this close to the end are not judged.
   */
  settleMs: number;
  /** Upper bound for the other-ids ring, in bytes (one bit per client per id, twice). */
  ringBudgetBytes?: number;
}

/** Forward steps between decimal ids (over all clients) after which their kind is decided. */
const sequenceDecisionSteps = 256;
const defaultRingBudgetBytes = 8 * 1024 * 1024;

const Alignment = { unknown: 0, follows: 1, own: 2 } as const;

export class DeliveryAccounting {
  readonly #clients: number;
  readonly #settleMs: number;
  readonly #ringBudgetBytes: number;

  readonly #events: Float64Array;
  readonly #duplicates: Float64Array;
  readonly #outOfOrder: Float64Array;
  /** Sequence ids that left a client's window without arriving. */
  readonly #gapMissing: Float64Array;
  /** Ids every other client got, by kind of id. */
  readonly #ringMissingNumbers: Float64Array;
  readonly #ringMissingOthers: Float64Array;
  readonly #firstId: Float64Array;
  readonly #highestId: Float64Array;
  /** Bit k of a client's window: id (highest - k) arrived, or is below its first id. */
  readonly #window: Uint32Array;
  readonly #alignment: Uint8Array;
  /** The previous event's last event ID: a number, or (for other ids) a string. */
  readonly #previousNumber: Float64Array;
  #previousText: Array<string | undefined> | undefined;
  readonly #previousFingerprint: Int32Array;
  readonly #firstOpenedAt: Float64Array;
  readonly #openedAt: Float64Array;
  readonly #lastClosedAt: Float64Array;
  /** Highest sequence id received by anyone when the client's first stream opened. */
  readonly #highestAtFirstOpen: Float64Array;

  /** Clients whose stream has been open for `settleMs`, one bit each. */
  readonly #settled: Uint32Array;
  /** Clients whose sequence ids are their own (not the shared sequence). */
  readonly #ownSequence: Uint32Array;
  #settling: number[] = [];

  #highestSeen = Number.NaN;
  #firstSeen = Number.NaN;
  #stepsByOne = 0;
  #longerSteps = 0;
  /**
   * Whether the decimal ids are a sequence, decided after `sequenceDecisionSteps` steps; until
   * then (undefined) they also go to the cross-client ring, which only a non-sequence needs.
   */
  #isSequence: boolean | undefined;
  #numericEvents = 0;
  #otherIdEvents = 0;

  readonly #timeline = new SequenceTimeline();

  readonly #skew = new FanOutSkew();

  #ring: IdRing | undefined;

  constructor(options: DeliveryOptions) {
    const clients = options.clients;
    this.#clients = clients;
    this.#settleMs = options.settleMs;
    this.#ringBudgetBytes = options.ringBudgetBytes ?? defaultRingBudgetBytes;
    this.#events = new Float64Array(clients);
    this.#duplicates = new Float64Array(clients);
    this.#outOfOrder = new Float64Array(clients);
    this.#gapMissing = new Float64Array(clients);
    this.#ringMissingNumbers = new Float64Array(clients);
    this.#ringMissingOthers = new Float64Array(clients);
    this.#firstId = new Float64Array(clients).fill(Number.NaN);
    this.#highestId = new Float64Array(clients).fill(Number.NaN);
    this.#window = new Uint32Array(clients * windowWords);
    this.#alignment = new Uint8Array(clients);
    this.#previousNumber = new Float64Array(clients).fill(Number.NaN);
    this.#previousFingerprint = new Int32Array(clients);
    this.#firstOpenedAt = new Float64Array(clients).fill(Number.NaN);
    this.#openedAt = new Float64Array(clients).fill(Number.NaN);
    this.#lastClosedAt = new Float64Array(clients).fill(Number.NaN);
    this.#highestAtFirstOpen = new Float64Array(clients).fill(Number.NaN);
    const words = Math.ceil(clients / 32);
    this.#settled = new Uint32Array(words);
    this.#ownSequence = new Uint32Array(words);
  }

  /** Events received so far by every client. */
  get totalEvents(): number {
    let total = 0;
    for (let client = 0; client < this.#clients; client++) total += this.#events[client]!;
    return total;
  }

  /** Running totals for the per-second timeline (load/timeline-sampler.ts). */
  running(): { missing: number; duplicates: number; outOfOrder: number } {
    let missing = 0;
    let duplicates = 0;
    let outOfOrder = 0;
    for (let client = 0; client < this.#clients; client++) {
      missing += this.#gapMissing[client]!;
      duplicates += this.#duplicates[client]!;
      outOfOrder += this.#outOfOrder[client]!;
    }
    return { missing, duplicates, outOfOrder };
  }

  /** Fan-out skew of the ids first received in [fromMs, untilMs), for the timeline. */
  skewBetween(fromMs: number, untilMs: number, into: DurationHistogram): void {
    this.#skew.skewBetween(fromMs, untilMs, into);
  }

  /** A client's stream opened (the response head was accepted). */
  streamOpened(client: number, atMs: number): void {
    this.#openedAt[client] = atMs;
    if (Number.isNaN(this.#firstOpenedAt[client]!)) {
      this.#firstOpenedAt[client] = atMs;
      this.#highestAtFirstOpen[client] = this.#highestSeen;
    }
    this.#settling.push(client);
  }

  /** A client's stream ended or broke. */
  streamClosed(client: number, atMs: number): void {
    if (Number.isNaN(this.#openedAt[client]!)) return;
    this.#openedAt[client] = Number.NaN;
    this.#lastClosedAt[client] = atMs;
    this.#settled[client >>> 5]! &= ~(1 << (client & 31));
  }

  /** Call a few times a second: clients open for `settleMs` become held to new ids. */
  tick(atMs: number): void {
    if (this.#settling.length === 0) return;
    const still: number[] = [];
    for (const client of this.#settling) {
      const openedAt = this.#openedAt[client]!;
      if (Number.isNaN(openedAt)) continue;
      if (openedAt <= atMs - this.#settleMs) this.#settled[client >>> 5]! |= 1 << (client & 31);
      else still.push(client);
    }
    this.#settling = still;
  }

  /** A client received an event whose last event ID is `lastEventId`. */
  event(client: number, lastEventId: string, fingerprint: number, atMs: number): void {
    this.#events[client]!++;
    if (lastEventId === "") return;
    const number = sequenceNumber(lastEventId);
    const key = number >= 0 ? "" : eventIdKey(lastEventId);
    const sameAsPrevious =
      number >= 0 ? number === this.#previousNumber[client] : this.#previousText?.[client] === key;
    if (sameAsPrevious) {
      // No new id: an event without an `id:` field, or the same event sent again.
      if (fingerprint === this.#previousFingerprint[client]) this.#duplicates[client]!++;
      this.#previousFingerprint[client] = fingerprint;
      return;
    }
    this.#previousFingerprint[client] = fingerprint;
    if (number >= 0) {
      this.#previousNumber[client] = number;
      if (this.#previousText !== undefined) this.#previousText[client] = undefined;
      this.#numericEvents++;
      this.#sequenceEvent(client, number, atMs);
      if (this.#isSequence !== true) this.#ringFor().receive(client, number, true, atMs);
    } else {
      this.#previousNumber[client] = Number.NaN;
      this.#previousText ??= new Array<string | undefined>(this.#clients);
      this.#previousText[client] = key;
      this.#otherIdEvents++;
      const outcome = this.#ringFor().receive(client, key, false, atMs);
      if (outcome === RingOutcome.duplicate) this.#duplicates[client]!++;
      else if (outcome === RingOutcome.outOfOrder) this.#outOfOrder[client]!++;
    }
  }

  #sequenceEvent(client: number, id: number, atMs: number): void {
    if (Number.isNaN(this.#highestSeen) || id > this.#highestSeen) {
      if (Number.isNaN(this.#firstSeen)) this.#firstSeen = id;
      this.#highestSeen = id;
      this.#timeline.note(atMs, id);
    }
    const base = client * windowWords;
    const window = this.#window;
    const highest = this.#highestId[client]!;
    if (Number.isNaN(highest)) {
      this.#firstId[client] = id;
      this.#highestId[client] = id;
      // Ids below the first are not expected of this client: their bits count as present.
      window.fill(0xffffffff, base, base + windowWords);
      const highestAtOpen = this.#highestAtFirstOpen[client]!;
      if (Number.isNaN(highestAtOpen) || id > highestAtOpen) {
        this.#alignment[client] = Alignment.follows;
      } else {
        // Its first id was old when it connected: history replayed to it, or its own numbering.
        this.#alignment[client] = Alignment.own;
        this.#ownSequence[client >>> 5]! |= 1 << (client & 31);
      }
    } else if (id > highest) {
      const step = id - highest;
      if (step === 1) {
        this.#stepsByOne++;
        this.#gapMissing[client]! += advanceWindowByOne(window, base);
      } else {
        this.#longerSteps++;
        this.#gapMissing[client]! += shiftWindow(window, base, step);
        window[base]! |= 1;
      }
      if (this.#isSequence === undefined) this.#decideSequence();
      this.#highestId[client] = id;
    } else if (id >= this.#firstId[client]!) {
      const back = highest - id;
      if (back < windowBits) {
        const word = base + (back >>> 5);
        const bit = 1 << (back & 31);
        if ((window[word]! & bit) !== 0) {
          this.#duplicates[client]!++;
        } else {
          window[word]! |= bit;
          this.#outOfOrder[client]!++;
        }
      } else {
        // Too old to tell for sure; an old id arriving again is far more often a replay.
        this.#duplicates[client]!++;
      }
    } else {
      // Older than the first id this client got: late, but never expected of it.
      this.#outOfOrder[client]!++;
    }
    if (this.#alignment[client] === Alignment.follows) this.#skew.note(id, atMs);
  }

  #decideSequence(): void {
    const steps = this.#stepsByOne + this.#longerSteps;
    if (steps < sequenceDecisionSteps) return;
    this.#isSequence = this.#stepsByOne * 2 >= steps;
    // A sequence is checked by gaps: the ring's bits per client are not needed for numbers.
    if (this.#isSequence && this.#otherIdEvents === 0) this.#ring = undefined;
  }

  #ringFor(): IdRing {
    if (this.#ring === undefined) {
      this.#ring = new IdRing({
        clients: this.#clients,
        budgetBytes: this.#ringBudgetBytes,
        settled: this.#settled,
        ownSequence: this.#ownSequence,
        missingNumbers: this.#ringMissingNumbers,
        missingOthers: this.#ringMissingOthers,
        skew: this.#skew.histogram,
      });
    }
    return this.#ring;
  }

  /** The totals at the end of the run; the accounting is not used afterwards. */
  finish(atMs: number): DeliveryResult {
    const clients = this.#clients;
    this.#skew.finish(atMs - this.#settleMs);
    this.#ring?.finish(atMs - this.#settleMs);
    const skew = this.#skew.histogram;
    // A client lagging by the largest skew seen is late, not missing anything.
    const marginMs = Math.max(this.#settleMs, skew.count > 0 ? skew.percentile(100) : 0);
    const steps = this.#stepsByOne + this.#longerSteps;
    const isSequence =
      this.#numericEvents > 0 && (this.#isSequence ?? this.#stepsByOne * 2 >= steps);
    const missing = new Float64Array(clients);
    let totalMissing = 0;
    let totalEvents = 0;
    let totalDuplicates = 0;
    let totalOutOfOrder = 0;
    for (let client = 0; client < clients; client++) {
      let clientMissing = this.#ringMissingOthers[client]!;
      if (isSequence) {
        clientMissing += this.#gapMissing[client]! + this.#windowHoles(client);
        clientMissing += this.#headAndTail(client, atMs, marginMs);
      } else {
        clientMissing += this.#ringMissingNumbers[client]!;
      }
      missing[client] = clientMissing;
      totalMissing += clientMissing;
      totalEvents += this.#events[client]!;
      totalDuplicates += this.#duplicates[client]!;
      totalOutOfOrder += this.#outOfOrder[client]!;
    }
    return {
      ids: this.#idKind(isSequence),
      events: totalEvents,
      missing: totalMissing,
      duplicates: totalDuplicates,
      outOfOrder: totalOutOfOrder,
      clientEvents: this.#events,
      clientMissing: missing,
      clientDuplicates: this.#duplicates,
      clientOutOfOrder: this.#outOfOrder,
      skew,
    };
  }

  #idKind(isSequence: boolean): IdKind {
    if (this.#numericEvents > 0 && this.#otherIdEvents > 0) return "mixed";
    if (this.#numericEvents > 0) return isSequence ? "sequence" : "numeric";
    return this.#otherIdEvents > 0 ? "opaque" : "none";
  }

  /** Ids inside the client's window that never arrived. */
  #windowHoles(client: number): number {
    if (Number.isNaN(this.#highestId[client]!)) return 0;
    return windowHoles(this.#window, client * windowWords);
  }

  /**
   * Sequence ids outside the client's own range that a client following the shared sequence
   * should have had: those received by others after it had settled and before its first id,
   * and those received by others (more than `marginMs` before its stream's end) after its
   * highest. A client that never got an id is held to everything in between.
   */
  #headAndTail(client: number, endMs: number, marginMs: number): number {
    const firstOpenedAt = this.#firstOpenedAt[client]!;
    if (Number.isNaN(firstOpenedAt) || this.#alignment[client] === Alignment.own) return 0;
    if (Number.isNaN(this.#highestSeen)) return 0;
    const openNow = !Number.isNaN(this.#openedAt[client]!);
    const accountableUntil = openNow ? endMs : this.#lastClosedAt[client]!;
    const expectedFrom =
      this.#timeline.highestAt(firstOpenedAt + this.#settleMs, this.#firstSeen - 1) + 1;
    const expectedTo = this.#timeline.highestAt(accountableUntil - marginMs, this.#firstSeen - 1);
    const firstId = this.#firstId[client]!;
    if (Number.isNaN(firstId)) {
      return expectedTo >= expectedFrom ? expectedTo - expectedFrom + 1 : 0;
    }
    const head = firstId > expectedFrom ? firstId - expectedFrom : 0;
    const highest = this.#highestId[client]!;
    const tail = expectedTo > highest ? expectedTo - highest : 0;
    return head + tail;
  }
}
