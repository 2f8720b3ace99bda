/**
 * A log-bucketed histogram of durations that merges by adding counts, so the reports of several
 * `load` processes combine into exactly the histogram of all their samples (HdrHistogram's idea
 * in a hundred lines: no dependency, nothing to load at start-up). Pure.
 *
 * Values are milliseconds kept at microsecond resolution: exact below 128 µs, then 64 buckets
 * per power of two, so a percentile is off by less than 1/64 (1.6 %) of its value. The largest
 * value kept is 2^45 µs (about a year); larger values land in the last bucket.
 */

/** Microsecond values below this have a bucket each. */
const exactBelowUs = 128;
/** log2(exactBelowUs) */
const exactBits = 7;
/** 2^6 = 64 buckets per power of two above the exact range. */
const subBucketBits = 6;
const subBuckets = 1 << subBucketBits;
const maxExponent = 45;
/** Number of buckets: the exact range, then 64 per power of two from 2^7 to 2^45. */
export const bucketCount = exactBelowUs + (maxExponent - exactBits + 1) * subBuckets;

/** The bucket a value (microseconds, >= 0) falls in. */
export function bucketOf(valueUs: number): number {
  const value = Math.floor(valueUs);
  if (value < exactBelowUs) return Math.max(0, value);
  let exponent = Math.floor(Math.log2(value));
  // Math.log2 may round up just below a power of two.
  if (2 ** exponent > value) exponent--;
  if (exponent > maxExponent) return bucketCount - 1;
  const sub = Math.floor(value / 2 ** (exponent - subBucketBits)) - subBuckets;
  return exactBelowUs + (exponent - exactBits) * subBuckets + sub;
}

/** The smallest value (µs) of a bucket, and its width. */
export function bucketRange(bucket: number): { lowUs: number; widthUs: number } {
  if (bucket < exactBelowUs) return { lowUs: bucket, widthUs: 1 };
  const offset = bucket - exactBelowUs;
  const exponent = exactBits + Math.floor(offset / subBuckets);
  const widthUs = 2 ** (exponent - subBucketBits);
  return { lowUs: (subBuckets + (offset % subBuckets)) * widthUs, widthUs };
}

/** p50 / p90 / p99 / max in milliseconds, as every report shows them. */
export interface PercentileSummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** The JSON form, as carried by `load --json` so `--merge` can add histograms up. */
export interface EncodedHistogram {
  /** Number of samples. */
  count: number;
  /** Smallest and largest sample, microseconds. */
  minUs: number;
  maxUs: number;
  /** Pairs of bucket index and count, by increasing index: [index, count, index, count, ...]. */
  buckets: number[];
}

export class DurationHistogram {
  /** Counts per bucket; allocated at the first sample. */
  #counts: Float64Array | undefined;
  count = 0;
  #minUs = Number.POSITIVE_INFINITY;
  #maxUs = 0;

  /** Records one duration in milliseconds (negative values count as 0). */
  record(ms: number): void {
    const us = ms > 0 ? Math.round(ms * 1000) : 0;
    this.#counts ??= new Float64Array(bucketCount);
    this.#counts[bucketOf(us)]! += 1;
    this.count++;
    if (us < this.#minUs) this.#minUs = us;
    if (us > this.#maxUs) this.#maxUs = us;
  }

  /** Adds every sample of `other` to this histogram. */
  add(other: DurationHistogram): void {
    if (other.count === 0 || other.#counts === undefined) return;
    this.#counts ??= new Float64Array(bucketCount);
    for (let bucket = 0; bucket < bucketCount; bucket++) {
      this.#counts[bucket]! += other.#counts[bucket]!;
    }
    this.count += other.count;
    this.#minUs = Math.min(this.#minUs, other.#minUs);
    this.#maxUs = Math.max(this.#maxUs, other.#maxUs);
  }

  /**
   * The value at percentile `p` (0-100), in milliseconds: the middle of the bucket holding the
   * sample of that rank (nearest rank), kept within the exact minimum and maximum.
   */
  percentile(p: number): number {
    const counts = this.#counts;
    if (this.count === 0 || counts === undefined) return Number.NaN;
    if (p >= 100) return this.#maxUs / 1000;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let bucket = 0; bucket < bucketCount; bucket++) {
      seen += counts[bucket]!;
      if (seen >= rank) {
        const { lowUs, widthUs } = bucketRange(bucket);
        const middleUs = widthUs === 1 ? lowUs : lowUs + widthUs / 2;
        return Math.min(this.#maxUs, Math.max(this.#minUs, middleUs)) / 1000;
      }
    }
    return this.#maxUs / 1000;
  }

  /** p50/p90/p99/max in ms rounded to 3 significant digits; null without samples. */
  summary(): PercentileSummary | null {
    if (this.count === 0) return null;
    return {
      p50: roundMs(this.percentile(50)),
      p90: roundMs(this.percentile(90)),
      p99: roundMs(this.percentile(99)),
      max: roundMs(this.percentile(100)),
    };
  }

  toJSON(): EncodedHistogram {
    const buckets: number[] = [];
    const counts = this.#counts;
    if (counts !== undefined) {
      for (let bucket = 0; bucket < bucketCount; bucket++) {
        if (counts[bucket]! > 0) buckets.push(bucket, counts[bucket]!);
      }
    }
    return {
      count: this.count,
      minUs: this.count === 0 ? 0 : this.#minUs,
      maxUs: this.#maxUs,
      buckets,
    };
  }

  /**
   * Reads the JSON form back. It comes from a file (`--merge`), so everything is checked: a
   * malformed histogram throws a RangeError naming the problem, never yields wrong numbers.
   */
  static fromJSON(value: unknown): DurationHistogram {
    if (typeof value !== "object" || value === null) throw new RangeError("not an object");
    const { count, minUs, maxUs, buckets } = value as Record<string, unknown>;
    if (!isCount(count) || !isCount(minUs) || !isCount(maxUs)) {
      throw new RangeError("count, minUs and maxUs must be whole numbers >= 0");
    }
    if (!Array.isArray(buckets) || buckets.length % 2 !== 0 || buckets.length > 2 * bucketCount) {
      throw new RangeError("buckets must be pairs of index and count");
    }
    const histogram = new DurationHistogram();
    if (count === 0) {
      if (buckets.length !== 0) throw new RangeError("buckets given for an empty histogram");
      return histogram;
    }
    if (minUs > maxUs) throw new RangeError("minUs is larger than maxUs");
    const counts = new Float64Array(bucketCount);
    let total = 0;
    let previous = -1;
    for (let at = 0; at < buckets.length; at += 2) {
      const bucket = buckets[at];
      const bucketSamples = buckets[at + 1];
      if (!isCount(bucket) || bucket <= previous || bucket >= bucketCount) {
        throw new RangeError("bucket indexes must increase and stay in range");
      }
      if (!isCount(bucketSamples) || bucketSamples === 0) {
        throw new RangeError("bucket counts must be whole numbers > 0");
      }
      counts[bucket] = bucketSamples;
      total += bucketSamples;
      previous = bucket;
    }
    if (total !== count) throw new RangeError(`bucket counts add up to ${total}, not ${count}`);
    if (bucketOf(minUs) > bucketOf(maxUs)) throw new RangeError("minUs and maxUs disagree");
    histogram.#counts = counts;
    histogram.count = count;
    histogram.#minUs = minUs;
    histogram.#maxUs = maxUs;
    return histogram;
  }
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** Milliseconds to 3 significant digits (0.0123, 1.23, 123, 12300). */
export function roundMs(ms: number): number {
  if (!Number.isFinite(ms) || ms === 0) return ms;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(ms))));
  const factor = 10 ** Math.min(digits, 6);
  return Math.round(ms * factor) / factor;
}
