/**
 * The pure parts around a run: option values (durations, counts or percentages), the file and
 * port limit warnings, the progress line and the text report (escaped, every section).
 */
import { describe, expect, it } from "vitest";
import { countOrPercent, durationOption, OptionValueError } from "../../src/cli/option-values.js";
import {
  fileLimitShortfall,
  fileLimitWarning,
  portRangeWarning,
} from "../../src/load/file-limit.js";
import { formatProgressLine } from "../../src/load/report/progress-line.js";
import type { LoadReport } from "../../src/load/report/report.js";
import { formatReportText } from "../../src/load/report/report-text.js";

describe("option values", () => {
  it.each([
    ["30", 30_000],
    ["1.5", 1500],
    ["1.5s", 1500],
    ["500ms", 500],
    ["2m", 120_000],
    ["1h", 3_600_000],
    [" 10 s ", 10_000],
  ])('durationOption("s")(%j) = %d ms', (raw, ms) => {
    expect(durationOption("s")(raw)).toBe(ms);
  });

  it.each(["", "soon", "-1", "1d", "1e3", "30000h"])(
    'durationOption("s")(%j) is a usage error',
    (raw) => {
      expect(() => durationOption("s")(raw)).toThrow(OptionValueError);
    },
  );

  it("countOrPercent", () => {
    expect(countOrPercent("0")).toEqual({ count: 0 });
    expect(countOrPercent("12")).toEqual({ count: 12 });
    expect(countOrPercent("0.5%")).toEqual({ percent: 0.5 });
    for (const raw of ["", "lots", "-1", "101%", "%", "1.5"]) {
      expect(() => countOrPercent(raw), raw).toThrow(OptionValueError);
    }
  });
});

describe("limits", () => {
  it("warns only when the clients need more files than allowed", () => {
    expect(fileLimitShortfall(1000, { soft: 20_000, hard: 20_000 })).toBeUndefined();
    expect(fileLimitShortfall(30_000, { soft: 20_000, hard: 20_000 })).toBe(20_000);
    expect(fileLimitShortfall(30_000, undefined)).toBeUndefined();
    expect(fileLimitWarning(30_000, 30_064, 20_000)).toMatch(
      /clients past about 19,936 will fail with "too many open files"[\s\S]*ulimit -Hn 65536[\s\S]*--merge/,
    );
  });

  it("warns when one source address has fewer local ports than clients", () => {
    const range = { low: 32768, high: 60999 };
    expect(portRangeWarning(20_000, 0, range)).toBeUndefined();
    expect(portRangeWarning(40_000, 2, range)).toBeUndefined();
    expect(portRangeWarning(40_000, 1, range)).toMatch(
      /40,000 connections from one source address to one server exceed its 28,232 local ports[\s\S]*--source-address 127\.0\.0\.1,127\.0\.0\.2 /,
    );
  });
});

describe("progress line", () => {
  it("shows connected / target, events/s, reconnects and errors; a busy generator when it is", () => {
    const snapshot = {
      elapsedMs: 12_345,
      connected: 14_998,
      clients: 15_000,
      eventsPerSecond: 123_456.7,
      reconnects: 3,
      errors: 0,
      busy: 0.5,
    };
    expect(formatProgressLine(snapshot)).toBe(
      "load 12.3 s · connected 14,998/15,000 · 123,457 events/s · 3 reconnects · 0 errors",
    );
    expect(formatProgressLine({ ...snapshot, busy: 0.97 })).toMatch(/ · generator busy 97%$/);
  });
});

describe("text report", () => {
  const summary = { p50: 1, p90: 2, p99: 3, max: 4 };
  const report = {
    clients: 3,
    connected: 2,
    failed: 1,
    events: 59,
    missing: 1,
    duplicates: 0,
    reconnects: 2,
    connect: summary,
    firstEvent: summary,
    skew: null,
    latency: null,
    generator: {
      processes: 1,
      cpuPercent: 5,
      userMs: 1,
      systemMs: 1,
      eventLoopBusyPercent: 4,
      eventLoopDelayP99Ms: 11,
      peakRssMb: 70,
      saturated: true,
    },
    outOfOrder: 0,
    ids: "sequence",
    url: "http://127.0.0.1:1/\u202eevil",
    startedAt: "",
    durationMs: 2000,
    eventsPerSecond: 30,
    eventWindowMs: 100,
    peakConnected: 3,
    bytes: 10,
    connections: { opened: 4, failed: { status: 2 }, dropped: { ended: 1 } },
    firstByte: summary,
    latencyUnreadable: 0,
    latencyNegative: 0,
    worstClients: [
      {
        run: "h:1",
        client: 2,
        events: 19,
        missing: 1,
        duplicates: 0,
        outOfOrder: 0,
        reconnects: 2,
        failures: 2,
        lastFailure: "status",
      },
    ],
    errors: [{ reason: "status", count: 2, example: "HTTP 503 Busy" }],
    warnings: [],
    runs: [],
    histograms: {},
    format: "sse-tool-load/1",
  } as unknown as LoadReport;

  it("says what went wrong first, then the numbers, escaping what came from outside", () => {
    const text = formatReportText(report);
    expect(text).toMatch(
      /^load {2}http:\/\/127\.0\.0\.1:1\/\\u202eevil · 3 clients · 2\.0 s\n {6}✘ 1 events missing, 1 of 3 clients not connected at the end\n/,
    );
    expect(text).toMatch(/\n {2}skew +- {2}\(not measured\)/);
    expect(text).toMatch(/saturated: latency and skew include the generator's own delay/);
    expect(text).toMatch(/\n {2}status +2 {2}HTTP 503 Busy\n/);
    expect(text).toMatch(
      /\n {2}#2 +19 events · 1 missing · 2 reconnects · 2 failed attempts \(last: status\)\n/,
    );
    expect(text).not.toMatch(/\u202e/);
  });
});
