/**
 * Sizes and durations as people read them in stderr lines and reports: `512 B`, `1.5 KiB`,
 * `3.0 MiB`, `2.00 GiB`; `250 ms`, `1.25 s`. Pure.
 */

/** Bytes in binary units, one decimal (two for GiB). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** A short duration: whole milliseconds below a second, else seconds with two decimals. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
