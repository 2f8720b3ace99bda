/**
 * Parsers for option values, shared by every command. Each returns the value or throws an
 * OptionValueError, which commander reports as a usage error (exit 2).
 */

/**
 * A bad option value. Commander reports any parser error with this `code` as it reports its own
 * InvalidArgumentError ("option '--x <n>' argument 'y' is invalid. ..."); defined here so the
 * declarations, whose defaults the library reads too, load nothing of commander's.
 */
export class OptionValueError extends Error {
  override readonly name = "OptionValueError";
  readonly code = "commander.invalidArgument";
  readonly exitCode = 1;
}

/** A whole number >= 0 (`--max-events 10`, `--port 0`). */
export function wholeNumber(raw: string): number {
  if (!/^[0-9]+$/.test(raw.trim())) throw new OptionValueError("expected a whole number.");
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new OptionValueError("number too large.");
  return value;
}

/**
 * The longest delay a Node.js timer holds: 2^31-1 ms, about 24.8 days. A longer one fires at
 * once (with a TimeoutOverflowWarning): `--timeout 2200000` would end a run immediately and a
 * huge `--retry` would reconnect in a tight loop.
 */
export const maxTimerMs = 2 ** 31 - 1;

/**
 * Every duration option passes through here, whatever unit it was given in: within what a
 * timer can wait, or a usage error (exit 2).
 */
export function checkTimerRange(ms: number): number {
  if (!(ms <= maxTimerMs)) {
    throw new OptionValueError(
      "too long: at most 2147483647 ms (about 24.8 days), the longest a timer can wait.",
    );
  }
  return ms;
}

/** A unit a bare number stands for, per flag (`--timeout 30` is seconds, `--retry 500` ms). */
export type BareNumberUnit = "ms" | "s";

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * The parser of every time flag of every command: a duration with a unit (`500ms`, `2s`, `1.5m`,
 * `1h`) or a bare number in the flag's own unit (`bareNumberUnit`, stated in its --help); a
 * flag without one requires the unit (a bare `0` is always zero). Returned in milliseconds,
 * within what a timer can wait.
 */
export function durationOption(bareNumberUnit?: BareNumberUnit): (raw: string) => number {
  return (raw) => {
    const text = raw.trim();
    const match = /^([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h)?$/.exec(text);
    const unit = match?.[2] ?? bareNumberUnit ?? (Number(match?.[1]) === 0 ? "ms" : undefined);
    if (!match || unit === undefined) {
      const bare =
        bareNumberUnit === undefined ? "" : ` (a bare number is ${unitName[bareNumberUnit]})`;
      throw new OptionValueError(`expected a duration such as 500ms, 2s or 1m${bare}.`);
    }
    return checkTimerRange(Math.round(Number(match[1]) * durationUnits[unit]!));
  };
}

const unitName: Record<BareNumberUnit, string> = { ms: "milliseconds", s: "seconds" };

/** A duration whose bare number is seconds (`--timeout 2.5`, `--timeout 500ms`). */
export const secondsToMs = durationOption("s");

/** A duration whose bare number is milliseconds (`--retry 3000`, `--retry 3s`). */
export const milliseconds = durationOption("ms");

/** A duration that needs its unit (`250ms`, `1.5s`, `2m`; a bare `0`). */
export const duration = durationOption();

/** A TCP port: 0 (any free one) to 65535. */
export function portNumber(raw: string): number {
  const text = raw.trim();
  const value = /^[0-9]{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 0 && value <= 65_535)) {
    throw new OptionValueError("expected a port number from 0 to 65535.");
  }
  return value;
}

/** A number greater than 0, fractions allowed (`--llm-fake-rate 12.5`). */
export function positiveNumber(raw: string): number {
  const text = raw.trim();
  const value = Number(text);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || !(value > 0) || !Number.isFinite(value)) {
    throw new OptionValueError("expected a number greater than 0.");
  }
  return value;
}

/** `--speed`: a number greater than 0 (`2`, `0.5`), or `max` for no waiting at all. */
export function replaySpeed(raw: string): number | "max" {
  if (raw.trim() === "max") return "max";
  try {
    return positiveNumber(raw);
  } catch {
    throw new OptionValueError('expected a number greater than 0 (2 is twice as fast) or "max".');
  }
}

/** `--chunk-split`: a piece size in bytes (1 or more), or `random`. */
export function splitSize(raw: string): number | "random" {
  if (raw.trim() === "random") return "random";
  const size = /^[0-9]+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!(Number.isSafeInteger(size) && size >= 1)) {
    throw new OptionValueError('expected a number of bytes (1 or more) or "random".');
  }
  return size;
}

/** `<tokens>:<duration>` (`--llm-fake-stall 20:2s`, repeatable): a pause after that many tokens. */
export function tokenStall(
  raw: string,
  previous: Array<{ afterTokens: number; ms: number }> | undefined,
): Array<{ afterTokens: number; ms: number }> {
  const colon = raw.indexOf(":");
  const count = raw.slice(0, colon).trim();
  if (colon < 0 || !/^[0-9]+$/.test(count) || !Number.isSafeInteger(Number(count))) {
    throw new OptionValueError("expected <tokens>:<duration>, for example 20:2s.");
  }
  const stall = { afterTokens: Number(count), ms: duration(raw.slice(colon + 1)) };
  return previous ? [...previous, stall] : [stall];
}

/** A count or a percentage (`0`, `10`, `0.5%`). */
export function countOrPercent(raw: string): { count: number } | { percent: number } {
  const text = raw.trim();
  if (text.endsWith("%")) {
    const percent = Number(text.slice(0, -1));
    if (!/^[0-9]+(\.[0-9]+)?%$/.test(text) || percent > 100) {
      throw new OptionValueError("expected a number or a percentage such as 0, 10 or 0.5%.");
    }
    return { percent };
  }
  if (!/^[0-9]+$/.test(text)) {
    throw new OptionValueError("expected a number or a percentage such as 0, 10 or 0.5%.");
  }
  return { count: wholeNumber(text) };
}

const byteUnits: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
};

/** A size in bytes with an optional unit (`65536`, `64KiB`, `16MiB`, `1G`). */
export function byteSize(raw: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)$/.exec(raw.trim());
  const unit = byteUnits[match?.[2]?.toLowerCase() ?? "?"];
  if (!match || unit === undefined) {
    throw new OptionValueError("expected a size such as 65536, 64KiB or 16MiB.");
  }
  return Math.floor(Number(match[1]) * unit);
}

/** Collects a repeatable option into an array (`-H a -H b`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return previous ? [...previous, value] : [value];
}
