/**
 * The doctor watch's timeline: bounded (marks past the limit only counted, labels cut short),
 * and the shaded spans: silences between marks, bursts of events after a silence.
 */
import { describe, expect, it } from "vitest";
import { shadedSpans } from "../../../src/doctor/report/report-html.js";
import { maxMarks, WatchTimeline } from "../../../src/doctor/report/watch-timeline.js";

describe("WatchTimeline", () => {
  it("keeps times from the start, and at most maxMarks marks with short labels", () => {
    const timeline = new WatchTimeline(1000);
    timeline.mark("headers", 1020);
    for (let index = 0; index < maxMarks + 10; index++)
      timeline.mark("event", 1100, "x".repeat(500));
    expect(timeline.marks[0]).toEqual({ kind: "headers", atMs: 20, label: "" });
    expect(timeline.marks).toHaveLength(maxMarks);
    expect(timeline.dropped).toBe(11);
    expect(timeline.marks[1]!.label.length).toBeLessThanOrEqual(81);
  });
});

describe("shadedSpans", () => {
  it("shades a silence and the burst that ends it", () => {
    const timeline = new WatchTimeline(0);
    timeline.mark("headers", 0);
    for (const atMs of [100, 200, 300]) timeline.mark("event", atMs);
    for (const atMs of [1000, 1001, 1002, 1003]) timeline.mark("event", atMs);
    const spans = shadedSpans(timeline.marks).map(({ label, from, to }) => ({ label, from, to }));
    expect(spans).toEqual([
      { label: "silence", from: 0.3, to: 1 },
      { label: "burst", from: 0.98, to: 1.023 },
    ]);
  });

  it("shades nothing for a steady stream", () => {
    const timeline = new WatchTimeline(0);
    for (let atMs = 0; atMs < 3000; atMs += 100) timeline.mark("event", atMs);
    expect(shadedSpans(timeline.marks)).toEqual([]);
  });
});
