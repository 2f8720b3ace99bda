/**
 * The highest sequence id anyone had received, over time: samples at most 5 ms apart in a ring
 * of 65,536, so the delivery accounting can ask what a client that connected (or stopped) at a
 * given moment should have received. Bounded memory whatever the run's length. Pure.
 */

/** Samples of "highest sequence id so far" over time. */
const timelineSlots = 1 << 16;
const timelineResolutionMs = 5;

export class SequenceTimeline {
  readonly #at = new Float64Array(timelineSlots);
  readonly #highest = new Float64Array(timelineSlots);
  #length = 0;
  #start = 0;

  /** `highest` is the highest id received so far, at `atMs`. */
  note(atMs: number, highest: number): void {
    const length = this.#length;
    if (length > 0) {
      const last = (this.#start + length - 1) % timelineSlots;
      if (atMs - this.#at[last]! < timelineResolutionMs) {
        this.#highest[last] = highest;
        return;
      }
    }
    if (length < timelineSlots) {
      const slot = (this.#start + length) % timelineSlots;
      this.#at[slot] = atMs;
      this.#highest[slot] = highest;
      this.#length++;
    } else {
      this.#at[this.#start] = atMs;
      this.#highest[this.#start] = highest;
      this.#start = (this.#start + 1) % timelineSlots;
    }
  }

  /**
   * The highest id anyone had received at `atMs` (at most 5 ms late), or `beforeFirst` before
   * any (NaN when nothing was noted). Before the remembered samples it answers the oldest one
   * kept, which can only hold clients to fewer ids.
   */
  highestAt(atMs: number, beforeFirst: number): number {
    const length = this.#length;
    if (length === 0) return Number.NaN;
    const at = (index: number) => this.#at[(this.#start + index) % timelineSlots]!;
    if (atMs < at(0)) {
      return length < timelineSlots ? beforeFirst : this.#highest[this.#start]!;
    }
    let low = 0;
    let high = length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (at(middle) <= atMs) low = middle;
      else high = middle - 1;
    }
    return this.#highest[(this.#start + low) % timelineSlots]!;
  }
}
