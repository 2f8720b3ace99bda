/** Small statistics helpers for benchmark samples. */

/**
 * @param {number[]} values
 * @returns {number} the median, NaN for no values
 */
export function median(values) {
  return percentile(values, 50);
}

/**
 * Nearest-rank percentile.
 * @param {ArrayLike<number>} values
 * @param {number} p 0..100
 */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}
