/** A histogram's buckets as points to draw (report-html.ts, report-pictures.ts). Pure. */
import { bucketRange, type EncodedHistogram } from "../accounting/histogram.js";

/** The histogram's buckets as (bucket middle in ms, count), in increasing order. */
export function histogramPoints(histogram: EncodedHistogram): { x: number[]; counts: number[] } {
  const x: number[] = [];
  const counts: number[] = [];
  for (let index = 0; index + 1 < histogram.buckets.length; index += 2) {
    const { lowUs, widthUs } = bucketRange(histogram.buckets[index]!);
    x.push((widthUs === 1 ? lowUs : lowUs + widthUs / 2) / 1000);
    counts.push(histogram.buckets[index + 1]!);
  }
  return { x, counts };
}
