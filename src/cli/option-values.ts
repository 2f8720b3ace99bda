/**
 * Parsers for option values, shared by every command. Each returns the value or throws an
 * OptionValueError, which commander reports as a usage error (exit 2).
 */
import {
  type BareNumberUnit,
  maxTimerMs,
  readDuration,
  readPositiveNumber,
  readReplaySpeed,
  readSplitSize,
  readWholeNumber,
  type ValueRead,
} from "../terminal/value-text.js";

export { type BareNumberUnit, maxTimerMs };

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

/** The value, or commander's usage error with the parser's reason. */
function valueOrUsageError<T>(read: ValueRead<T>): T {
  if (!read.ok) throw new OptionValueError(read.problem);
  return read.value;
}

/** A whole number >= 0 (`--max-events 10`, `--port 0`). */
export function wholeNumber(raw: string): number {
  return valueOrUsageError(readWholeNumber(raw));
}

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

/**
 * The parser of every time flag of every command: a duration with a unit (`500ms`, `2s`, `1.5m`,
 * `1h`) or a bare number in the flag's own unit (`bareNumberUnit`, stated in its --help); a
 * flag without one requires the unit (a bare `0` is always zero). Returned in milliseconds,
 * within what a timer can wait.
 */
export function durationOption(bareNumberUnit?: BareNumberUnit): (raw: string) => number {
  return (raw) => valueOrUsageError(readDuration(raw, bareNumberUnit));
}

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
  return valueOrUsageError(readPositiveNumber(raw));
}

/** `--speed`: a number greater than 0 (`2`, `0.5`), or `max` for no waiting at all. */
export function replaySpeed(raw: string): number | "max" {
  return valueOrUsageError(readReplaySpeed(raw));
}

/** `--chunk-split`: a piece size in bytes (1 or more), or `random`. */
export function splitSize(raw: string): number | "random" {
  return valueOrUsageError(readSplitSize(raw));
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
