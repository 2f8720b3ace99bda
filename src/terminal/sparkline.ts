/**
 * Small Unicode pictures for a terminal: a sparkline of a series (one block character per
 * value) and a one-line histogram of durations. Pure; the caller decides whether stdout is a
 * terminal (a pipe gets the plain numbers the rest of the report already prints).
 */

const blocks = "▁▂▃▄▅▆▇█";

/**
 * One character per value, scaled from the lowest to the highest; `width` caps the length by
 * averaging neighbouring values. Non-finite values show as a space (no data that second).
 */
export function sparkline(values: ArrayLike<number>, width = 60): string {
  const series = downsample(values, width);
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const value of series) {
    if (!Number.isFinite(value)) continue;
    if (value < low) low = value;
    if (value > high) high = value;
  }
  let line = "";
  for (const value of series) {
    if (!Number.isFinite(value)) line += " ";
    else if (high === low) line += value === 0 ? blocks[0] : blocks[3];
    else {
      const level = Math.round(((value - low) / (high - low)) * (blocks.length - 1));
      line += blocks[level];
    }
  }
  return line;
}

/** Averages runs of neighbouring values so that at most `width` remain. */
export function downsample(values: ArrayLike<number>, width: number): number[] {
  const length = values.length;
  if (length <= width) return Array.from(values);
  const out: number[] = [];
  for (let slot = 0; slot < width; slot++) {
    const from = Math.floor((slot * length) / width);
    const to = Math.floor(((slot + 1) * length) / width);
    let sum = 0;
    let seen = 0;
    for (let index = from; index < to; index++) {
      const value = values[index]!;
      if (!Number.isFinite(value)) continue;
      sum += value;
      seen++;
    }
    out.push(seen === 0 ? Number.NaN : sum / seen);
  }
  return out;
}

/**
 * Counts of `values` in `bins` equal bins from the lowest to the highest, as a sparkline,
 * with the range: "▁▃█▅▂▁ 1.2 ms … 40 ms". Empty for no values.
 */
export function histogramLine(
  values: ArrayLike<number>,
  format: (value: number) => string,
  bins = 24,
): string {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (!Number.isFinite(value)) continue;
    if (value < low) low = value;
    if (value > high) high = value;
  }
  if (low > high) return "";
  const counts = new Array<number>(bins).fill(0);
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (!Number.isFinite(value)) continue;
    const bin =
      high === low ? 0 : Math.min(bins - 1, Math.floor(((value - low) / (high - low)) * bins));
    counts[bin]!++;
  }
  return `${sparkline(counts, bins)} ${format(low)} … ${format(high)}`;
}
