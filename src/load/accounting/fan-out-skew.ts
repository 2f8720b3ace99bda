/**
 * The fan-out skew of a sequence: for each id, how far apart in time the first and the last
 * client following the shared sequence received it. Pure. Direct-mapped slots keep the
 * memory fixed: an id whose slot is taken by a newer one is recorded and forgotten.
 */
import { DurationHistogram } from "./histogram.js";

/** Slots remembering when each sequence id was first and last received. */
const skewSlots = 1 << 16;

export class FanOutSkew {
  /** Spread between the first and the last client receiving each id, ms. */
  readonly histogram = new DurationHistogram();
  #id: Float64Array | undefined;
  #first: Float64Array | undefined;
  #last: Float64Array | undefined;
  #count: Float64Array | undefined;

  /** A client following the shared sequence received `id` at `atMs`. */
  note(id: number, atMs: number): void {
    if (this.#id === undefined) {
      this.#id = new Float64Array(skewSlots).fill(-1);
      this.#first = new Float64Array(skewSlots);
      this.#last = new Float64Array(skewSlots);
      this.#count = new Float64Array(skewSlots);
    }
    const slot = id % skewSlots;
    if (this.#id[slot] !== id) {
      this.#record(slot);
      this.#id[slot] = id;
      this.#first![slot] = atMs;
      this.#last![slot] = atMs;
      this.#count![slot] = 1;
      return;
    }
    if (atMs < this.#first![slot]!) this.#first![slot] = atMs;
    if (atMs > this.#last![slot]!) this.#last![slot] = atMs;
    this.#count![slot]!++;
  }

  /**
   * Adds to `into` the skew so far of each id first received in [fromMs, untilMs), leaving the
   * slots as they are: the per-second timeline reads it without changing the run's totals.
   */
  skewBetween(fromMs: number, untilMs: number, into: DurationHistogram): void {
    if (this.#id === undefined) return;
    for (let slot = 0; slot < skewSlots; slot++) {
      const first = this.#first![slot]!;
      if (this.#id[slot]! < 0 || this.#count![slot]! < 2 || first < fromMs || first >= untilMs) {
        continue;
      }
      into.record(this.#last![slot]! - first);
    }
  }

  /** Records the ids first received by `untilMs`; the younger ones may still be on their way. */
  finish(untilMs: number): void {
    if (this.#id === undefined) return;
    for (let slot = 0; slot < skewSlots; slot++) {
      if (this.#first![slot]! <= untilMs) this.#record(slot);
    }
  }

  #record(slot: number): void {
    if (this.#id![slot]! >= 0 && this.#count![slot]! >= 2) {
      this.histogram.record(this.#last![slot]! - this.#first![slot]!);
    }
    this.#id![slot] = -1;
  }
}
