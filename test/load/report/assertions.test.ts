/** The CI assertions: each names its flag and what was measured when it does not hold. */
import { describe, expect, it } from "vitest";
import { failedAssertions } from "../../../src/load/report/assertions.js";
import type { LoadReport } from "../../../src/load/report/report.js";

const report = (fields: Partial<LoadReport>): LoadReport =>
  ({
    clients: 100,
    connected: 100,
    events: 9990,
    missing: 10,
    duplicates: 0,
    skew: { p50: 10, p90: 20, p99: 120, max: 300 },
    connections: { opened: 100, failed: { refused: 3, timeout: 2 }, dropped: {} },
    errors: [
      { reason: "refused", count: 3, example: "connection refused" },
      { reason: "timeout", count: 2, example: "connect timeout" },
    ],
    worstClients: [{ run: "h:1", client: 7, missing: 6 }],
    runs: [{}],
    ...fields,
  }) as LoadReport;

describe("failedAssertions", () => {
  it("holds when every limit is met", () => {
    expect(
      failedAssertions(report({}), {
        maxLoss: { count: 10 },
        maxErrors: 5,
        maxSkewP99Ms: 120,
        minConnected: 100,
      }),
    ).toEqual([]);
  });

  it("names each flag that fails, with the measured value", () => {
    expect(
      failedAssertions(report({ connected: 97 }), {
        maxLoss: { count: 0 },
        maxErrors: 4,
        maxSkewP99Ms: 100,
        minConnected: 100,
      }),
    ).toEqual([
      "--max-loss 0: 10 events missing (0.100% of 10,000 expected deliveries); worst client #7 missed 6",
      "--max-errors 4: 5 connection attempts failed (refused 3, timeout 2)",
      "--max-skew-p99 100 ms: fan-out skew p99 was 120 ms",
      "--min-connected 100: 97 of 100 clients were connected at the end",
    ]);
  });

  it("--max-loss takes a share of the expected deliveries", () => {
    expect(failedAssertions(report({}), { maxLoss: { percent: 0.1 } })).toEqual([]);
    expect(failedAssertions(report({}), { maxLoss: { percent: 0.05 } })[0]).toMatch(
      /^--max-loss 0.05%: 10 events missing \(0.100% of 10,000/,
    );
  });

  it("--max-skew-p99 fails when no skew could be measured", () => {
    expect(failedAssertions(report({ skew: null }), { maxSkewP99Ms: 500 })).toEqual([
      "--max-skew-p99 500 ms: no skew was measured (it needs events with ids received by at least two clients)",
    ]);
  });
});
