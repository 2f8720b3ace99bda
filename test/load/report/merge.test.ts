/**
 * --merge: merging the reports of two runs equals the report of one run over the union of
 * their clients (for everything that adds up), and report files are checked field by field.
 */
import { describe, expect, it } from "vitest";
import { DeliveryAccounting } from "../../../src/load/accounting/delivery.js";
import { eventFingerprint } from "../../../src/load/accounting/event-fingerprint.js";
import { LoadMetrics } from "../../../src/load/accounting/metrics.js";
import type { GeneratorUsage } from "../../../src/load/generator-usage.js";
import { mergeReports, readReport } from "../../../src/load/report/merge.js";
import { buildReport, type LoadReport } from "../../../src/load/report/report.js";

const generator: GeneratorUsage = {
  processes: 1,
  cpuPercent: 10,
  userMs: 100,
  systemMs: 50,
  eventLoopBusyPercent: 9,
  eventLoopDelayP99Ms: 12,
  peakRssMb: 80,
  saturated: false,
};

/**
 * A run whose clients are `clients` (global numbers, so a union run can hold them all): each
 * connects, gets ids 1..30 (client 3 misses id 7, client 4 gets id 9 twice), with timings
 * derived from the client number.
 */
function runOf(clients: number[], label = "run"): LoadReport {
  const count = clients.length;
  const accounting = new DeliveryAccounting({ clients: count, settleMs: 1000 });
  const metrics = new LoadMetrics(count);
  clients.forEach((global, local) => {
    accounting.streamOpened(local, 0);
    metrics.streamOpened(local);
    metrics.connect.record(1 + global * 0.37);
    metrics.firstByte.record(2 + global * 0.5);
    metrics.firstEvent.record(3 + global * 0.7);
    if (global % 5 === 4) {
      metrics.attemptFailed(local, "refused", "connection refused");
      metrics.reconnecting(local);
    }
  });
  for (let id = 1; id <= 30; id++) {
    clients.forEach((global, local) => {
      if (global === 3 && id === 7) return;
      const at = 2000 + id * 10;
      accounting.event(local, String(id), eventFingerprint("message", `e${id}`), at);
      metrics.latency.record(5 + global + id / 10);
      if (global === 4 && id === 9)
        accounting.event(local, "9", eventFingerprint("message", "e9"), at + 1);
    });
  }
  const delivery = accounting.finish(10_000);
  return buildReport({
    url: "http://127.0.0.1:8080/events",
    label,
    clients: count,
    startedAt: "2026-11-30T10:00:00.000Z",
    durationMs: 10_000,
    connected: count,
    eventWindowMs: 290,
    delivery,
    metrics,
    generator,
    warnings: [],
  });
}

/** Everything that must add up; the skew of a merged report is per run by design. */
function additive(report: LoadReport) {
  const {
    histograms,
    skew: _skew,
    runs: _runs,
    generator: _generator,
    worstClients,
    ...rest
  } = report;
  return {
    ...rest,
    histograms: { ...histograms, skew: undefined },
    worstClients: worstClients.map(({ run: _run, client: _client, ...counts }) => counts),
  };
}

describe("mergeReports", () => {
  it("two runs merged equal one run over the union of their clients", () => {
    const first = runOf([0, 1, 2, 3, 4, 5, 6], "a");
    const second = runOf([7, 8, 9, 10, 11, 12], "b");
    const union = runOf([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], "a");
    const merged = mergeReports([first, second]);
    expect(additive(merged)).toEqual(additive(union));
    expect(merged.missing).toBe(1);
    expect(merged.duplicates).toBe(1);
    expect(merged.runs.map((run) => run.label)).toEqual(["a", "b"]);
    expect(merged.generator).toMatchObject({ processes: 2, userMs: 200, peakRssMb: 80 });
  });

  it("merging is the same whatever the order, and a merged report merges again", () => {
    const reports = [runOf([0, 1]), runOf([2, 3, 4]), runOf([5])];
    const once = mergeReports(reports);
    const reversed = mergeReports([...reports].reverse());
    expect(additive(reversed)).toEqual(additive(once));
    const nested = mergeReports([mergeReports(reports.slice(0, 2)), reports[2]!]);
    expect(additive(nested)).toEqual(additive(once));
  });

  it("a report survives its own JSON and reads back unchanged", () => {
    const report = runOf([0, 1, 2, 3, 4]);
    expect(readReport(JSON.parse(JSON.stringify(report)), "run.json")).toEqual(report);
  });
});

describe("readReport", () => {
  const good = () => JSON.parse(JSON.stringify(runOf([0, 1, 2]))) as Record<string, unknown>;

  it.each([
    ["not an object", () => [], /report: expected an object/],
    ["another format", () => ({ ...good(), format: "k6" }), /format: expected "sse-tool-load\/1"/],
    ["negative count", () => ({ ...good(), missing: -3 }), /missing: expected a whole number >= 0/],
    ["a count as text", () => ({ ...good(), events: "12" }), /events: expected a whole number/],
    [
      "unknown failure reason",
      () => {
        const report = good();
        (report.connections as Record<string, unknown>).failed = { gremlins: 1 };
        return report;
      },
      /connections\.failed\.gremlins: expected one of refused/,
    ],
    [
      "a broken histogram",
      () => {
        const report = good();
        (report.histograms as Record<string, unknown>).connect = {
          count: 5,
          minUs: 0,
          maxUs: 1,
          buckets: [1, 1],
        };
        return report;
      },
      /histograms\.connect: expected a histogram \(bucket counts add up to 1, not 5\)/,
    ],
    ["a huge text", () => ({ ...good(), url: "x".repeat(100_000) }), /url: expected text/],
    [
      "too many warnings",
      () => ({ ...good(), warnings: new Array(1000).fill("w") }),
      /warnings: expected a list of at most 100/,
    ],
  ])("refuses %s, naming the file and the field", (_name, make, message) => {
    expect(() => readReport(make(), "pod-3.json")).toThrow(message);
    expect(() => readReport(make(), "pod-3.json")).toThrow(/^pod-3\.json is not a load report: /);
  });

  it("recomputes the percentiles from the histograms, ignoring what the file says", () => {
    const report = good();
    report.connect = { p50: 1, p90: 1, p99: 1, max: 99_999 };
    expect(readReport(report, "x.json").connect).toEqual(runOf([0, 1, 2]).connect);
  });
});
