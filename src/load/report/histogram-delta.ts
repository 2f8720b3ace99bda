/**
 * Percentiles of what a cumulative histogram gained since an earlier copy of it: the samples
 * of one second, for the timeline. Pure; works on the JSON form (sparse bucket, count pairs).
 */
import { bucketRange, type EncodedHistogram } from "../accounting/histogram.js";

export interface SecondPercentiles {
  p50: number;
  p95: number;
  p99: number;
}

const none: SecondPercentiles = { p50: Number.NaN, p95: Number.NaN, p99: Number.NaN };

/** NaN percentiles when nothing was recorded in between. */
export function histogramDelta(now: EncodedHistogram, before: EncodedHistogram): SecondPercentiles {
  const count = now.count - before.count;
  if (count <= 0) return none;
  const earlier = new Map<number, number>();
  for (let index = 0; index + 1 < before.buckets.length; index += 2) {
    earlier.set(before.buckets[index]!, before.buckets[index + 1]!);
  }
  const ranks = [0.5, 0.95, 0.99].map((p) => Math.max(1, Math.ceil(p * count)));
  const found: number[] = [];
  let seen = 0;
  for (let index = 0; index + 1 < now.buckets.length && found.length < ranks.length; index += 2) {
    const bucket = now.buckets[index]!;
    seen += now.buckets[index + 1]! - (earlier.get(bucket) ?? 0);
    while (found.length < ranks.length && seen >= ranks[found.length]!) {
      const { lowUs, widthUs } = bucketRange(bucket);
      found.push((widthUs === 1 ? lowUs : lowUs + widthUs / 2) / 1000);
    }
  }
  const maxMs = now.maxUs / 1000;
  return {
    p50: Math.min(found[0] ?? maxMs, maxMs),
    p95: Math.min(found[1] ?? maxMs, maxMs),
    p99: Math.min(found[2] ?? maxMs, maxMs),
  };
}
