/**
 * Parsers for option values, shared by every command. Each returns the value or throws
 * commander's InvalidArgumentError, which commander reports as a usage error (exit 2).
 */
import { InvalidArgumentError } from "commander";

/** A whole number >= 0 (`--max-events 10`, `--port 0`). */
export function wholeNumber(raw: string): number {
  if (!/^[0-9]+$/.test(raw.trim())) throw new InvalidArgumentError("expected a whole number.");
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new InvalidArgumentError("number too large.");
  return value;
}

/** Seconds, fractions allowed (`--timeout 2.5`). Returned in milliseconds. */
export function secondsToMs(raw: string): number {
  if (!/^[0-9]+(\.[0-9]+)?$/.test(raw.trim())) {
    throw new InvalidArgumentError("expected seconds, for example 30 or 0.5.");
  }
  return Math.round(Number(raw) * 1000);
}

const durationUnitsMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration: seconds by default, or with a unit (`30`, `1.5s`, `500ms`, `2m`, `1h`). Returned
 * in milliseconds.
 */
export function duration(raw: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h)?$/.exec(raw.trim());
  if (!match) throw new InvalidArgumentError("expected a duration such as 30, 1.5s, 500ms or 2m.");
  const ms = Number(match[1]) * durationUnitsMs[match[2] ?? "s"]!;
  if (!Number.isSafeInteger(Math.round(ms))) throw new InvalidArgumentError("duration too long.");
  return Math.round(ms);
}

/** A count or a percentage (`0`, `10`, `0.5%`). */
export function countOrPercent(raw: string): { count: number } | { percent: number } {
  const text = raw.trim();
  if (text.endsWith("%")) {
    const percent = Number(text.slice(0, -1));
    if (!/^[0-9]+(\.[0-9]+)?%$/.test(text) || percent > 100) {
      throw new InvalidArgumentError("expected a number or a percentage such as 0, 10 or 0.5%.");
    }
    return { percent };
  }
  if (!/^[0-9]+$/.test(text)) {
    throw new InvalidArgumentError("expected a number or a percentage such as 0, 10 or 0.5%.");
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
    throw new InvalidArgumentError("expected a size such as 65536, 64KiB or 16MiB.");
  }
  return Math.floor(Number(match[1]) * unit);
}

/** Collects a repeatable option into an array (`-H a -H b`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return previous ? [...previous, value] : [value];
}
