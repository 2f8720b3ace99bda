/** --latency-field: paths, send-time units, and events without a usable field. */
import { describe, expect, it } from "vitest";
import {
  LatencyReader,
  parseFieldPath,
  sendTimeMs,
} from "../../../src/load/accounting/latency-field.js";
import { LoadMetrics } from "../../../src/load/accounting/metrics.js";

describe("--latency-field", () => {
  it.each([
    ["sentAt", ["sentAt"]],
    [".meta.sentAt", ["meta", "sentAt"]],
    ["$.meta.sentAt", ["meta", "sentAt"]],
    ["items.0.t", ["items", "0", "t"]],
  ])("parses the path %j", (spec, segments) => {
    expect(parseFieldPath(spec)).toEqual(segments);
  });

  it.each(["", ".", "a..b", "a.", Array.from({ length: 17 }, () => "x").join(".")])(
    "refuses the path %j (usage error)",
    (spec) => {
      expect(() => parseFieldPath(spec)).toThrow(/--latency-field/);
    },
  );

  const ms = Date.UTC(2026, 10, 30, 12, 0, 0, 250);
  it.each([
    ["seconds", ms / 1000, ms],
    ["milliseconds", ms, ms],
    ["microseconds", ms * 1000, ms],
    ["nanoseconds", ms * 1e6, ms],
    ["a numeric string", String(ms), ms],
    ["an ISO date", "2026-11-30T12:00:00.250Z", ms],
  ])("reads a send time in %s", (_unit, value, expected) => {
    expect(sendTimeMs(value)).toBeCloseTo(expected, 0);
  });

  it.each([[null], [true], [{}], ["soon"], [-5], [0]])("ignores %j", (value) => {
    expect(sendTimeMs(value)).toBeUndefined();
  });

  it("records latency, and counts events without the field or sent in the future", () => {
    const reader = new LatencyReader("meta.sentAt");
    const metrics = new LoadMetrics(1);
    const now = Date.now();
    reader.record(
      { data: JSON.stringify({ meta: { sentAt: now - 40 } }), lastEventId: "1" },
      1,
      now,
      metrics,
    );
    reader.record({ data: "plain text", lastEventId: "2" }, 2, now, metrics);
    reader.record({ data: '{"meta":{}}', lastEventId: "" }, 3, now, metrics);
    reader.record(
      { data: JSON.stringify({ meta: { sentAt: now + 5000 } }), lastEventId: "4" },
      4,
      now,
      metrics,
    );
    reader.record({ data: '{"__proto__":{"sentAt":1}}', lastEventId: "5" }, 5, now, metrics);
    expect(metrics.latency.count).toBe(1);
    expect(metrics.latency.percentile(50)).toBeCloseTo(40, 0);
    expect(metrics.latencyUnreadable).toBe(3);
    expect(metrics.latencyNegative).toBe(1);
  });

  it("reads the send time of a sequence id once for all clients", () => {
    const reader = new LatencyReader("t");
    const metrics = new LoadMetrics(1);
    const sentAt = 1_700_000_000_000;
    const event = { data: JSON.stringify({ t: sentAt }), lastEventId: "7" };
    reader.record(event, 9, sentAt + 5, metrics);
    // The same id and fingerprint: the cached send time is used even if the data differed.
    reader.record({ ...event, data: "not read again" }, 9, sentAt + 15, metrics);
    expect(metrics.latency.count).toBe(2);
    expect(metrics.latencyUnreadable).toBe(0);
  });
});
