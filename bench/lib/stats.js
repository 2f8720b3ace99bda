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

/**
 * How far the middle half of the samples spreads around their median: (p75 - p25) / median,
 * a fraction (0.05: the middle half lies within 5 % of the median). NaN for no values.
 * @param {ArrayLike<number>} values
 * @returns {number}
 */
export function relativeSpread(values) {
  const mid = percentile(values, 50);
  return (percentile(values, 75) - percentile(values, 25)) / mid;
}
