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
