/**
 * The grammar of the values a person types: durations (`500ms`, `2s`), whole numbers and
 * piece sizes. The command line's flags (src/cli/option-values.ts) and serve's per-request
 * fault specs (src/serve/faults/request-faults.ts) read them through these same parsers, so
 * `--latency 200ms` and `SSE-Tool-Fault: latency=200ms` mean one thing. Linear time. Pure.
 */

/** A value read, or why it could not be. */
export type ValueRead<T> = { ok: true; value: T } | { ok: false; problem: string };

/** The longest delay a Node.js timer holds: 2^31-1 ms, about 24.8 days. */
export const maxTimerMs = 2 ** 31 - 1;

/** A unit a bare number stands for (`--timeout 30` is seconds, `--retry 500` ms). */
export type BareNumberUnit = "ms" | "s";

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const unitName: Record<BareNumberUnit, string> = { ms: "milliseconds", s: "seconds" };

/**
 * A duration with a unit (`500ms`, `2s`, `1.5m`, `1h`) or a bare number in `bareNumberUnit`;
 * without one the unit is required (a bare `0` is always zero). In milliseconds, within what a
 * timer can wait.
 */
export function readDuration(raw: string, bareNumberUnit?: BareNumberUnit): ValueRead<number> {
  const text = raw.trim();
  const match = /^([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h)?$/.exec(text);
  const unit = match?.[2] ?? bareNumberUnit ?? (Number(match?.[1]) === 0 ? "ms" : undefined);
  if (!match || unit === undefined) {
    const bare =
      bareNumberUnit === undefined ? "" : ` (a bare number is ${unitName[bareNumberUnit]})`;
    return { ok: false, problem: `expected a duration such as 500ms, 2s or 1m${bare}.` };
  }
  const ms = Math.round(Number(match[1]) * durationUnits[unit]!);
  if (!(ms <= maxTimerMs)) {
    return {
      ok: false,
      problem: "too long: at most 2147483647 ms (about 24.8 days), the longest a timer can wait.",
    };
  }
  return { ok: true, value: ms };
}

/** A whole number >= 0 (`10`, `0`). */
export function readWholeNumber(raw: string): ValueRead<number> {
  if (!/^[0-9]+$/.test(raw.trim())) return { ok: false, problem: "expected a whole number." };
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) return { ok: false, problem: "number too large." };
  return { ok: true, value };
}

/** A number greater than 0, fractions allowed (`12.5`). */
export function readPositiveNumber(raw: string): ValueRead<number> {
  const text = raw.trim();
  const value = Number(text);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || !(value > 0) || !Number.isFinite(value)) {
    return { ok: false, problem: "expected a number greater than 0." };
  }
  return { ok: true, value };
}

/** A replay speed: a number greater than 0 (`2`, `0.5`), or `max` for no waiting at all. */
export function readReplaySpeed(raw: string): ValueRead<number | "max"> {
  if (raw.trim() === "max") return { ok: true, value: "max" };
  const read = readPositiveNumber(raw);
  return read.ok
    ? read
    : { ok: false, problem: 'expected a number greater than 0 (2 is twice as fast) or "max".' };
}

/** A piece size in bytes (1 or more), or `random`. */
export function readSplitSize(raw: string): ValueRead<number | "random"> {
  if (raw.trim() === "random") return { ok: true, value: "random" };
  const size = /^[0-9]+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!(Number.isSafeInteger(size) && size >= 1)) {
    return { ok: false, problem: 'expected a number of bytes (1 or more) or "random".' };
  }
  return { ok: true, value: size };
}
