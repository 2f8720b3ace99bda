import { describe, expect, it } from "vitest";
import {
  formatStatsBlock,
  formatStatsLine,
  percentile,
  StreamStats,
} from "../../src/listen/stats.js";

describe("percentile (nearest rank)", () => {
  const cases: Array<[number[], number, number | undefined]> = [
    [[], 50, undefined],
    [[5], 50, 5],
    [[5], 99, 5],
    [[1, 2, 3, 4], 50, 2],
    [[1, 2, 3, 4], 99, 4],
    [Array.from({ length: 100 }, (_, i) => i + 1), 99, 99],
    [Array.from({ length: 100 }, (_, i) => i + 1), 50, 50],
  ];
  it.each(cases)("%j p%d", (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });
});

describe("StreamStats", () => {
  it("counts per type, rate, bytes, gaps and reconnects", () => {
    const stats = new StreamStats(1000);
    stats.recordBytes(120);
    stats.recordEvent("tick", 1100);
    stats.recordEvent("tick", 1200);
    stats.recordEvent("done", 1500);
    stats.recordReconnect();
    stats.recordBytes(30);
    stats.recordEvent("tick", 1510);
    const summary = stats.summary(3000);
    expect(summary).toEqual({
      durationMs: 2000,
      events: 4,
      eventsByType: [
        { type: "tick", count: 3 },
        { type: "done", count: 1 },
      ],
      eventsPerSecond: 2,
      bytes: 150,
      interArrivalP50Ms: 100,
      interArrivalP99Ms: 300,
      reconnects: 1,
    });
    expect(formatStatsBlock(summary)).toEqual([
      "stats: 4 events in 2.00 s (2.0/s), 150 B, 1 reconnect",
      "  inter-arrival p50 100 ms, p99 300 ms",
      "  tick  3",
      "  done  1",
    ]);
  });

  it("no events: no percentiles, zero rate for zero duration", () => {
    const summary = new StreamStats(0).summary(0);
    expect(summary.interArrivalP50Ms).toBeUndefined();
    expect(summary.eventsPerSecond).toBe(0);
    expect(formatStatsBlock(summary)).toEqual([
      "stats: 0 events in 0 ms (0.0/s), 0 B, 0 reconnects",
    ]);
  });

  it("escapes control characters in event names", () => {
    const stats = new StreamStats(0);
    stats.recordEvent("evil\u001b[31m", 1);
    expect(formatStatsBlock(stats.summary(1000))[1]).toBe("  evil\\x1b[31m  1");
  });
});

describe("formatStatsBlock: what a server names reaches the terminal escaped", () => {
  it("bidi overrides and C1 controls in event names are made visible", () => {
    const stats = new StreamStats(0);
    stats.recordEvent("abc\u202edef", 1);
    stats.recordEvent("x\u009by", 2);
    expect(formatStatsBlock(stats.summary(1000)).slice(2)).toEqual([
      "  abc\\u202edef  1",
      "  x\\x9by        1",
    ]);
  });

  it("sizes over 1 GiB are shown in GiB", () => {
    const stats = new StreamStats(0);
    stats.recordBytes(3 * 1024 ** 3);
    expect(formatStatsBlock(stats.summary(1000))[0]).toContain("3.00 GiB");
  });
});

describe("StreamStats stays bounded", () => {
  it("counts at most 1000 types by name, lists 20, and counts the rest together", () => {
    const stats = new StreamStats(0);
    for (let i = 0; i < 3000; i++) stats.recordEvent(`type-${i}`, i);
    for (let i = 0; i < 5; i++) stats.recordEvent("type-7", 3000 + i);
    const summary = stats.summary(4000);
    expect(summary.events).toBe(3005);
    expect(summary.eventsByType).toHaveLength(20);
    expect(summary.eventsByType[0]).toEqual({ type: "type-7", count: 6 });
    expect(summary.otherTypes).toEqual({ events: 2980, types: 981, atLeast: true });
    expect(formatStatsBlock(summary).at(-1)).toBe("  (981+ more types)  2980");
  });

  it("keeps gaps in a fixed histogram: p50/p99 within 1 %, however many events", () => {
    const stats = new StreamStats(0);
    let at = 0;
    for (let i = 0; i < 200_000; i++) {
      at += i % 100 === 0 ? 1234 : 10;
      stats.recordEvent("tick", at);
    }
    const summary = stats.summary(at);
    expect(summary.interArrivalP50Ms).toBe(10);
    expect(summary.interArrivalP99Ms).toBe(10);
    expect(Math.abs(stats.summary(at).interArrivalP99Ms! - 10)).toBeLessThan(0.1);
  });

  it("the live line reads totals, without the per-type summary", () => {
    const stats = new StreamStats(0);
    stats.recordEvent("a", 10);
    stats.recordBytes(100);
    expect(formatStatsLine(stats.totals(1000))).toBe("1 events · 1.0/s · 100 B · 0 reconnects");
  });
});
