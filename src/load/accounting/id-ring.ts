/**
 * The last distinct ids received in a `load` run, first in first out, each with one bit per
 * client for "was expected to get it" (connected, and settled, when anyone first received it)
 * and "got it". When an id leaves the ring it is judged: an id that every other client got (all
 * but at most 10 % of those expected) is missing for each expected client that did not. Pure;
 * delivery.ts uses it for ids that are not a sequence. Memory: two bits per client per id, the
 * number of ids chosen to fit a budget (64 to 4096 ids).
 */
import type { DurationHistogram } from "./histogram.js";
import { popcount } from "./popcount.js";

/** An id is treated as sent to everyone when at most this share of clients lacks it. */
const broadcastShortfall = 0.1;

export const RingOutcome = { fresh: 0, duplicate: 1, outOfOrder: 2 } as const;
export type RingOutcome = (typeof RingOutcome)[keyof typeof RingOutcome];

export class IdRing {
  readonly #capacity: number;
  readonly #words: number;
  readonly #settled: Uint32Array;
  readonly #ownSequence: Uint32Array;
  readonly #slotOf = new Map<number | string, number>();
  readonly #key: Array<number | string | undefined>;
  readonly #isNumber: Uint8Array;
  readonly #firstAt: Float64Array;
  readonly #lastAt: Float64Array;
  readonly #receivers: Float64Array;
  readonly #sequence: Float64Array;
  readonly #expected: Uint32Array;
  readonly #received: Uint32Array;
  /** Per client: the ring sequence of the latest id it got (for out-of-order). */
  readonly #latestSequence: Float64Array;
  #oldest = 0;
  #size = 0;
  #nextSequence = 0;
  readonly #missingNumbers: Float64Array;
  readonly #missingOthers: Float64Array;
  readonly #skew: DurationHistogram;

  constructor(shared: {
    clients: number;
    budgetBytes: number;
    settled: Uint32Array;
    ownSequence: Uint32Array;
    /** Where a missing id is counted, per client, by kind of id. */
    missingNumbers: Float64Array;
    missingOthers: Float64Array;
    /** Where the spread of each other id is recorded. */
    skew: DurationHistogram;
  }) {
    const clients = shared.clients;
    this.#words = Math.ceil(clients / 32);
    const fits = Math.max(1, Math.floor(shared.budgetBytes / (this.#words * 8)));
    this.#capacity = Math.min(4096, Math.max(64, 2 ** Math.floor(Math.log2(fits))));
    this.#settled = shared.settled;
    this.#ownSequence = shared.ownSequence;
    this.#missingNumbers = shared.missingNumbers;
    this.#missingOthers = shared.missingOthers;
    this.#skew = shared.skew;
    this.#key = new Array(this.#capacity);
    this.#isNumber = new Uint8Array(this.#capacity);
    this.#firstAt = new Float64Array(this.#capacity);
    this.#lastAt = new Float64Array(this.#capacity);
    this.#receivers = new Float64Array(this.#capacity);
    this.#sequence = new Float64Array(this.#capacity);
    this.#expected = new Uint32Array(this.#capacity * this.#words);
    this.#received = new Uint32Array(this.#capacity * this.#words);
    this.#latestSequence = new Float64Array(clients).fill(-1);
  }

  receive(client: number, key: number | string, isNumber: boolean, atMs: number): RingOutcome {
    let slot = this.#slotOf.get(key);
    if (slot === undefined) slot = this.#add(key, isNumber, atMs);
    const word = slot * this.#words + (client >>> 5);
    const bit = 1 << (client & 31);
    if ((this.#received[word]! & bit) !== 0) return RingOutcome.duplicate;
    this.#received[word]! |= bit;
    this.#receivers[slot]!++;
    if (atMs > this.#lastAt[slot]!) this.#lastAt[slot] = atMs;
    const sequence = this.#sequence[slot]!;
    if (sequence < this.#latestSequence[client]!) return RingOutcome.outOfOrder;
    this.#latestSequence[client] = sequence;
    return RingOutcome.fresh;
  }

  #add(key: number | string, isNumber: boolean, atMs: number): number {
    if (this.#size === this.#capacity) {
      this.#judge(this.#oldest);
      this.#oldest = (this.#oldest + 1) % this.#capacity;
      this.#size--;
    }
    const slot = (this.#oldest + this.#size) % this.#capacity;
    this.#size++;
    this.#slotOf.set(key, slot);
    this.#key[slot] = key;
    this.#isNumber[slot] = isNumber ? 1 : 0;
    this.#firstAt[slot] = atMs;
    this.#lastAt[slot] = atMs;
    this.#receivers[slot] = 0;
    this.#sequence[slot] = this.#nextSequence++;
    const base = slot * this.#words;
    for (let word = 0; word < this.#words; word++) {
      const settled = this.#settled[word]!;
      this.#expected[base + word] = isNumber ? settled & ~this.#ownSequence[word]! : settled;
      this.#received[base + word] = 0;
    }
    return slot;
  }

  /** Decides an id that leaves the ring: who was expected to get it and did not. */
  #judge(slot: number): void {
    const key = this.#key[slot];
    if (key === undefined) return;
    this.#slotOf.delete(key);
    this.#key[slot] = undefined;
    const isNumber = this.#isNumber[slot] === 1;
    if (!isNumber && this.#receivers[slot]! >= 2) {
      this.#skew.record(this.#lastAt[slot]! - this.#firstAt[slot]!);
    }
    const missing = isNumber ? this.#missingNumbers : this.#missingOthers;
    const base = slot * this.#words;
    let expected = 0;
    let lacking = 0;
    for (let word = 0; word < this.#words; word++) {
      const expectedBits = this.#expected[base + word]!;
      expected += popcount(expectedBits);
      lacking += popcount((expectedBits & ~this.#received[base + word]!) >>> 0);
    }
    if (lacking === 0 || lacking === expected) return;
    if (lacking > Math.max(1, Math.floor(expected * broadcastShortfall))) return;
    for (let word = 0; word < this.#words; word++) {
      let bits = (this.#expected[base + word]! & ~this.#received[base + word]!) >>> 0;
      while (bits !== 0) {
        const low = bits & -bits;
        missing[word * 32 + (31 - Math.clz32(low))]!++;
        bits = (bits ^ low) >>> 0;
      }
    }
  }

  /** Judges every id first received before `judgeBeforeMs`; younger ones are left undecided. */
  finish(judgeBeforeMs: number): void {
    for (let index = 0; index < this.#size; index++) {
      const slot = (this.#oldest + index) % this.#capacity;
      if (this.#firstAt[slot]! <= judgeBeforeMs) this.#judge(slot);
    }
  }
}
