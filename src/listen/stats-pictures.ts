/**
 * The pictures at the end of `listen --stats` on a terminal: events per second over the last
 * minute, and the distribution of the latest gaps between events, as Unicode sparklines.
 * Fixed memory: two small rings. Pure.
 */
import { histogramLine, sparkline } from "../terminal/sparkline.js";
import { formatPreciseMs } from "../terminal/units.js";

const secondsKept = 60;
const gapsKept = 512;

export class StatsPictures {
  readonly #perSecond = new Float64Array(secondsKept);
  /** The whole second (since the start) the ring's newest slot counts. */
  #newestSecond = -1;
  readonly #gaps = new Float64Array(gapsKept);
  #gapCount = 0;
  #lastEventAtMs: number | undefined;
  readonly #startedAtMs: number;

  constructor(startedAtMs: number) {
    this.#startedAtMs = startedAtMs;
  }

  recordEvent(atMs: number): void {
    this.#advanceTo(Math.floor((atMs - this.#startedAtMs) / 1000));
    this.#perSecond[this.#newestSecond % secondsKept]!++;
    if (this.#lastEventAtMs !== undefined) {
      this.#gaps[this.#gapCount % gapsKept] = atMs - this.#lastEventAtMs;
      this.#gapCount++;
    }
    this.#lastEventAtMs = atMs;
  }

  #advanceTo(second: number): void {
    if (second <= this.#newestSecond) return;
    const from = Math.max(this.#newestSecond + 1, second - secondsKept + 1);
    for (let slot = from; slot <= second; slot++) this.#perSecond[slot % secondsKept] = 0;
    this.#newestSecond = second;
  }

  /** The lines to print, oldest second first; none before two events. */
  lines(nowMs: number): string[] {
    if (this.#gapCount === 0) return [];
    // Whole seconds only: the current one is still filling.
    const lastWhole = Math.floor((nowMs - this.#startedAtMs) / 1000) - 1;
    this.#advanceTo(lastWhole);
    const seconds = Math.min(secondsKept, lastWhole + 1);
    const rates: number[] = [];
    for (let second = lastWhole - seconds + 1; second <= lastWhole; second++) {
      rates.push(this.#perSecond[second % secondsKept]!);
    }
    const gaps = this.#gaps.subarray(0, Math.min(this.#gapCount, gapsKept));
    const lines = [`  gaps      ${histogramLine(gaps, formatPreciseMs, 24)}`];
    if (rates.length > 1) {
      lines.unshift(`  events/s  ${sparkline(rates, secondsKept)} (last ${rates.length} s)`);
    }
    return lines;
  }
}
