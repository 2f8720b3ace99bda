/**
 * A default as `--help` writes it (`16MiB`, `3s`, `250ms`), from the constant the code uses,
 * so the help cannot state one value while the code runs another. Pure.
 */

const sizeUnits: ReadonlyArray<[string, number]> = [
  ["GiB", 1024 ** 3],
  ["MiB", 1024 ** 2],
  ["KiB", 1024],
];

/** Bytes in the largest binary unit that holds them whole: 16777216 is `16MiB`. */
export function sizeForHelp(bytes: number): string {
  for (const [unit, size] of sizeUnits) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}`;
}

/** The same in a sentence: `16 KiB`. */
export function sizeInWords(bytes: number): string {
  return sizeForHelp(bytes).replace(/([0-9])([A-Za-z])/, "$1 $2");
}

/** Milliseconds as a duration flag takes them: 3000 is `3s`, 250 is `250ms`, 0 is `0`. */
export function durationForHelp(ms: number): string {
  if (ms === 0) return "0";
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
