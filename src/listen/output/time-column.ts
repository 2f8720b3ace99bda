/**
 * The pretty view's time column (`--time`): the wall clock of the chunk that carried the event
 * (`clock`, the default), the time since the run started (`relative`), the time since the
 * previous event (`delta`), or nothing (`none`). Pure: the caller hands in the times.
 */

export const timeColumnModes = ["clock", "relative", "delta", "none"] as const;
export type TimeColumnMode = (typeof timeColumnModes)[number];

/** `HH:MM:SS.mmm` in local time. */
export function formatClockTime(date: Date): string {
  const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
  const ms = date.getMilliseconds();
  const millis = ms < 10 ? `00${ms}` : ms < 100 ? `0${ms}` : `${ms}`;
  return `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}.${millis}`;
}

/** `+1.234s`, right-aligned to the width of `+999.999s` so the event names line up. */
export function formatOffset(ms: number): string {
  return `+${(Math.max(0, ms) / 1000).toFixed(3)}s`.padStart(9);
}

export class TimeColumn {
  readonly #mode: TimeColumnMode;
  readonly #startedAtMs: number;
  #previousMs: number | undefined;

  constructor(mode: TimeColumnMode, startedAtMs: number) {
    this.#mode = mode;
    this.#startedAtMs = startedAtMs;
  }

  /** The column for an event or comment received at `nowMs` ("" with `none`). */
  label(nowMs: number): string {
    switch (this.#mode) {
      case "clock":
        return formatClockTime(new Date(nowMs));
      case "relative":
        return formatOffset(nowMs - this.#startedAtMs);
      case "delta": {
        const previous = this.#previousMs ?? this.#startedAtMs;
        this.#previousMs = nowMs;
        return formatOffset(nowMs - previous);
      }
      case "none":
        return "";
    }
  }
}
