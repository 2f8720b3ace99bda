/**
 * The mergeable histogram: percentiles within its stated precision, merging equal to recording
 * the union, and a JSON form that round-trips and refuses malformed input.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bucketCount,
  bucketOf,
  DurationHistogram,
  roundMs,
} from "../../../src/load/accounting/histogram.js";

/** Nearest-rank percentile of raw samples, the reference. */
function exactPercentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

const samples = fc.array(fc.double({ min: 0, max: 600_000, noNaN: true }), {
  minLength: 1,
  maxLength: 300,
});

describe("DurationHistogram", () => {
  it("percentiles are within 1/64 (plus 1 µs) of the exact nearest-rank value", () => {
    fc.assert(
      fc.property(samples, fc.constantFrom(50, 90, 99, 100), (values, p) => {
        const histogram = new DurationHistogram();
        for (const value of values) histogram.record(value);
        const exact = Math.round(exactPercentile(values, p) * 1000) / 1000;
        const measured = histogram.percentile(p);
        expect(Math.abs(measured - exact)).toBeLessThanOrEqual(exact / 64 + 0.001);
      }),
    );
  });

  it("adding two histograms equals recording both sets of samples", () => {
    fc.assert(
      fc.property(samples, samples, (a, b) => {
        const left = new DurationHistogram();
        const right = new DurationHistogram();
        const union = new DurationHistogram();
        for (const value of a) left.record(value);
        for (const value of b) right.record(value);
        for (const value of [...a, ...b]) union.record(value);
        left.add(right);
        expect(left.toJSON()).toEqual(union.toJSON());
        expect(left.summary()).toEqual(union.summary());
      }),
    );
  });

  it("round-trips through JSON", () => {
    const histogram = new DurationHistogram();
    for (const value of [0, 0.0004, 0.5, 1, 12.5, 999, 60_000]) histogram.record(value);
    const copy = DurationHistogram.fromJSON(JSON.parse(JSON.stringify(histogram)));
    expect(copy.toJSON()).toEqual(histogram.toJSON());
    expect(copy.summary()).toEqual(histogram.summary());
  });

  it("an empty histogram has no summary", () => {
    expect(new DurationHistogram().summary()).toBeNull();
    expect(DurationHistogram.fromJSON(new DurationHistogram().toJSON()).count).toBe(0);
  });

  it.each([
    ["not an object", 5],
    ["negative count", { count: -1, minUs: 0, maxUs: 0, buckets: [] }],
    ["odd bucket list", { count: 1, minUs: 1, maxUs: 1, buckets: [1] }],
    ["bucket out of range", { count: 1, minUs: 1, maxUs: 1, buckets: [bucketCount, 1] }],
    ["decreasing buckets", { count: 2, minUs: 1, maxUs: 5, buckets: [5, 1, 1, 1] }],
    ["counts not adding up", { count: 3, minUs: 1, maxUs: 1, buckets: [1, 1] }],
    ["fractional count", { count: 1.5, minUs: 1, maxUs: 1, buckets: [1, 1.5] }],
    ["min above max", { count: 1, minUs: 9, maxUs: 1, buckets: [1, 1] }],
    ["huge bucket list", { count: 1, minUs: 1, maxUs: 1, buckets: new Array(10_000).fill(1) }],
  ])("refuses malformed JSON: %s", (_name, value) => {
    expect(() => DurationHistogram.fromJSON(value)).toThrow(RangeError);
  });

  it("puts every value in the bucket whose range holds it", () => {
    for (const us of [0, 1, 127, 128, 129, 255, 256, 1000, 65_535, 65_536, 2 ** 40 + 12_345]) {
      const bucket = bucketOf(us);
      expect(bucket).toBeGreaterThanOrEqual(0);
      expect(bucket).toBeLessThan(bucketCount);
      if (us > 0) expect(bucketOf(us - 1)).toBeLessThanOrEqual(bucket);
    }
  });

  it("rounds to three significant digits", () => {
    expect([roundMs(0.012345), roundMs(1.2345), roundMs(123.45), roundMs(12_345.6)]).toEqual([
      0.0123, 1.23, 123, 12_346,
    ]);
  });
});
