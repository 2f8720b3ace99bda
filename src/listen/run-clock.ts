/**
 * Where a `listen` run reads the time: the wall clock for a live stream, the recording's own
 * times when a recording is read back, so --llm timings, --stats gaps and --time tell what the
 * client saw then, not how fast the file was read. Pure.
 */
export interface RunClock {
  /** Milliseconds since the epoch, as Date.now() counts them. */
  now(): number;
  /** false: the input holds no times (a raw capture file), so none are shown or computed. */
  readonly timed: boolean;
}

/** The wall clock: a live stream, or a pipe whose bytes arrive as they are sent. */
export const wallClock: RunClock = { now: () => Date.now(), timed: true };

/** A raw capture read from a file: no times; timings are left out rather than invented. */
export function untimedClock(readStartedMs: number): RunClock {
  return { now: () => readStartedMs, timed: false };
}

/** A recording's clock: its start time plus the `t` of the line being read. */
export class RecordedClock implements RunClock {
  readonly #startedMs: number;
  #offsetMs = 0;
  readonly timed = true;

  constructor(startedMs: number) {
    this.#startedMs = startedMs;
  }

  /** The recording reached this line's `t` (milliseconds since its first request). */
  advanceTo(offsetMs: number): void {
    // Stryker disable next-line EqualityOperator: equal times change nothing
    if (offsetMs > this.#offsetMs) this.#offsetMs = offsetMs;
  }

  now(): number {
    return this.#startedMs + this.#offsetMs;
  }
}
