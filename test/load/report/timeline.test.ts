/**
 * The per-second timeline: fixed memory (pairs merge when the slots are full, each then covering
 * twice the time), percentiles merged by the larger value, counts by the mean; several runs on
 * one wall-clock axis for --merge; a timeline read from a file is checked.
 */
import { describe, expect, it } from "vitest";
import { DurationHistogram } from "../../../src/load/accounting/histogram.js";
import { histogramDelta } from "../../../src/load/report/histogram-delta.js";
import {
  LoadTimeline,
  mergeTimelines,
  readTimeline,
  type TimelineSample,
  timelineColumns,
} from "../../../src/load/report/timeline.js";

function sample(values: Partial<TimelineSample>): TimelineSample {
  const full = {} as TimelineSample;
  for (const name of timelineColumns) full[name] = values[name] ?? 0;
  return full;
}

describe("LoadTimeline", () => {
  it("keeps one slot per second until full", () => {
    const timeline = new LoadTimeline(1000, 4);
    for (let second = 0; second < 4; second++) timeline.push(sample({ connected: second }));
    const encoded = timeline.toJSON();
    expect(encoded.stepSeconds).toBe(1);
    expect(encoded.columns.connected).toEqual([0, 1, 2, 3]);
  });

  it("halves its resolution when full: memory stays fixed over any run length", () => {
    const timeline = new LoadTimeline(0, 4);
    for (let second = 0; second < 1000; second++) {
      timeline.push(sample({ eventsPerSecond: 10, latencyP99: second }));
      expect(timeline.length).toBeLessThanOrEqual(4);
    }
    const encoded = timeline.toJSON();
    expect(encoded.stepSeconds).toBe(256);
    // 1000 seconds at 256 per slot: 3 full slots and a partial one.
    expect(encoded.columns.eventsPerSecond).toEqual([10, 10, 10, 10]);
    // Percentiles merge by the larger: the last slot holds the largest second in it.
    expect(encoded.columns.latencyP99).toEqual([255, 511, 767, 999]);
  });

  it("averages counts and gauges when merging, and keeps seconds without data as null", () => {
    const timeline = new LoadTimeline(0, 2);
    timeline.push(sample({ connected: 2, skewP50: Number.NaN }));
    timeline.push(sample({ connected: 4, skewP50: Number.NaN }));
    timeline.push(sample({ connected: 6, skewP50: 5 }));
    const encoded = timeline.toJSON();
    expect(encoded.stepSeconds).toBe(2);
    expect(encoded.columns.connected).toEqual([3, 6]);
    expect(encoded.columns.skewP50).toEqual([null, 5]);
  });

  it("refuses a capacity that cannot halve", () => {
    expect(() => new LoadTimeline(0, 3)).toThrow(RangeError);
  });
});

describe("mergeTimelines", () => {
  it("adds counts of runs on one wall-clock axis and takes the larger percentile", () => {
    const a = new LoadTimeline(10_000, 8);
    const b = new LoadTimeline(11_000, 8);
    for (let second = 0; second < 3; second++) {
      a.push(sample({ connected: 5, latencyP99: 10 }));
      b.push(sample({ connected: 7, latencyP99: 20 }));
    }
    const merged = mergeTimelines([a.toJSON(), b.toJSON()])!;
    expect(merged.startMs).toBe(10_000);
    expect(merged.columns.connected).toEqual([5, 12, 12, 7]);
    expect(merged.columns.latencyP99).toEqual([10, 20, 20, 20]);
  });

  it("stays within its capacity however far apart the runs are", () => {
    const a = new LoadTimeline(0, 4);
    const b = new LoadTimeline(3_600_000, 4);
    a.push(sample({ connected: 1 }));
    b.push(sample({ connected: 1 }));
    const merged = mergeTimelines([a.toJSON(), b.toJSON()], 16)!;
    expect(merged.columns.connected.length).toBeLessThanOrEqual(16);
  });

  it("gives nothing for no timelines", () => {
    expect(mergeTimelines([])).toBeUndefined();
  });
});

describe("readTimeline", () => {
  it("reads back what toJSON wrote", () => {
    const timeline = new LoadTimeline(5, 4);
    timeline.push(sample({ connected: 3 }));
    const encoded = JSON.parse(JSON.stringify(timeline.toJSON()));
    expect(readTimeline(encoded)).toEqual(timeline.toJSON());
    expect(readTimeline(undefined)).toBeUndefined();
  });

  it.each([
    ["not an object", 5],
    ["no step", { startMs: 0, columns: {} }],
    ["a column missing", { startMs: 0, stepSeconds: 1, columns: {} }],
  ])("refuses %s", (_, value) => {
    expect(() => readTimeline(value)).toThrow(RangeError);
  });

  it("refuses a value that is not a number", () => {
    const encoded = new LoadTimeline(0, 2).toJSON();
    encoded.columns.connected = ["1" as unknown as number];
    expect(() => readTimeline(encoded)).toThrow(/not a number|differ/);
  });
});

describe("histogramDelta", () => {
  it("gives the percentiles of the samples recorded since the earlier copy", () => {
    const histogram = new DurationHistogram();
    for (let index = 0; index < 100; index++) histogram.record(1000);
    const before = histogram.toJSON();
    for (let index = 0; index < 100; index++) histogram.record(index < 50 ? 0.01 : 0.1);
    const delta = histogramDelta(histogram.toJSON(), before);
    expect(delta.p50).toBeCloseTo(0.01, 3);
    expect(delta.p95).toBeCloseTo(0.1, 3);
    expect(delta.p99).toBeCloseTo(0.1, 3);
  });

  it("gives NaN when nothing was recorded", () => {
    const histogram = new DurationHistogram();
    histogram.record(5);
    expect(histogramDelta(histogram.toJSON(), histogram.toJSON()).p50).toBeNaN();
  });
});
