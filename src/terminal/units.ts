/**
 * Sizes and durations as people read them in stderr lines and reports: `512 B`, `1.5 KiB`,
 * `3.0 MiB`, `2.00 GiB`; `250 ms`, `1.25 s`. Pure. The duration variants differ on purpose:
 * each keeps the precision its line needs, and their texts are pinned by tests.
 */

/** Bytes in binary units, one decimal (two for GiB). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** `ms` in seconds with `digits` decimals. */
function seconds(ms: number, digits: number): string {
  return `${(ms / 1000).toFixed(digits)} s`;
}

/** A short duration: whole milliseconds below a second, else seconds with two decimals. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : seconds(ms, 2);
}

/** A wait the tool chose (a reconnect delay, whole ms already): `50 ms`, `3.0 s`. */
export function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : seconds(ms, 1);
}

/** How long a run lasted: `12.3 s`, then `4 min 5 s` from a minute on. */
export function formatElapsed(ms: number): string {
  if (ms < 60_000) return seconds(ms, 1);
  const minutes = Math.floor(ms / 60_000);
  const wholeSeconds = Math.floor((ms % 60_000) / 1000);
  return `${minutes} min ${wholeSeconds} s`;
}

/**
 * A measured timing (latency, skew, timer delay), precise where it is small: 0.42 ms, 4.2 ms,
 * 123 ms, 1.23 s, 65.2 s; "n/a" when there was nothing to measure.
 */
export function formatPreciseMs(ms: number): string {
  if (!Number.isFinite(ms)) return "n/a";
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return seconds(ms, 2);
  return seconds(ms, 1);
}
