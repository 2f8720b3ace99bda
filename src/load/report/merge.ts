/**
 * `load --merge a.json b.json ...`: the reports of several runs (machines, CI jobs, pods)
 * combined into one, as if one run had held all their clients: counts add up, histograms add
 * bucket by bucket (so percentiles are those of every sample), the worst clients of all runs
 * are ranked together. Pure.
 *
 * Fan-out skew is measured inside each run (its clients share one clock); the merged skew is
 * the distribution of those per-run spreads, not a spread across machines.
 *
 * Report files come from elsewhere: each one is checked field by field (types, bounds, sizes)
 * and a bad one is named with what is wrong, rather than merged into wrong numbers.
 */
import { SseToolError } from "../../errors.js";
import { failureReasons } from "../../http/network-error.js";
import type { IdKind } from "../accounting/delivery-result.js";
import { DurationHistogram } from "../accounting/histogram.js";
import { dropReasons } from "../accounting/metrics.js";
import type { GeneratorUsage } from "../generator-usage.js";
import {
  type ClientSummary,
  compareClients,
  histogramNames,
  type LoadReport,
  type RunSummary,
  ratePerSecond,
  reportFormat,
  worstClientsListed,
} from "./report.js";
import { mergeTimelines, readTimeline } from "./timeline.js";

const idKinds: readonly IdKind[] = ["none", "sequence", "numeric", "opaque", "mixed"];
const maxText = 8 * 1024;
const maxRuns = 100_000;
const maxWarnings = 100;

class ReportShapeError extends Error {}

function fail(path: string, expected: string): never {
  throw new ReportShapeError(`${path}: expected ${expected}`);
}

function objectAt(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(path, "an object");
  return value as Record<string, unknown>;
}

function countAt(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    fail(path, "a whole number >= 0");
  }
  return value;
}

function numberAt(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
    fail(path, "a number >= 0");
  return value;
}

function textAt(value: unknown, path: string): string {
  if (typeof value !== "string" || value.length > maxText)
    fail(path, `text (at most ${maxText} characters)`);
  return value;
}

function arrayAt(value: unknown, path: string, max: number): unknown[] {
  if (!Array.isArray(value) || value.length > max) fail(path, `a list of at most ${max}`);
  return value;
}

function reasonCounts<Reason extends string>(
  value: unknown,
  path: string,
  reasons: readonly Reason[],
): Partial<Record<Reason, number>> {
  const object = objectAt(value, path);
  const counts: Partial<Record<Reason, number>> = {};
  for (const [key, count] of Object.entries(object)) {
    if (!(reasons as readonly string[]).includes(key))
      fail(`${path}.${key}`, `one of ${reasons.join(", ")}`);
    counts[key as Reason] = countAt(count, `${path}.${key}`);
  }
  return counts;
}

function readGenerator(value: unknown, path: string): GeneratorUsage {
  const object = objectAt(value, path);
  if (typeof object.saturated !== "boolean") fail(`${path}.saturated`, "true or false");
  return {
    processes: countAt(object.processes, `${path}.processes`),
    cpuPercent: numberAt(object.cpuPercent, `${path}.cpuPercent`),
    userMs: numberAt(object.userMs, `${path}.userMs`),
    systemMs: numberAt(object.systemMs, `${path}.systemMs`),
    eventLoopBusyPercent: numberAt(object.eventLoopBusyPercent, `${path}.eventLoopBusyPercent`),
    eventLoopDelayP99Ms: numberAt(object.eventLoopDelayP99Ms, `${path}.eventLoopDelayP99Ms`),
    peakRssMb: numberAt(object.peakRssMb, `${path}.peakRssMb`),
    saturated: object.saturated,
  };
}

function readClient(value: unknown, path: string): ClientSummary {
  const object = objectAt(value, path);
  const lastFailure = object.lastFailure;
  if (lastFailure !== null && !(failureReasons as readonly unknown[]).includes(lastFailure)) {
    fail(`${path}.lastFailure`, "null or a failure reason");
  }
  return {
    run: textAt(object.run, `${path}.run`),
    client: countAt(object.client, `${path}.client`),
    events: countAt(object.events, `${path}.events`),
    missing: countAt(object.missing, `${path}.missing`),
    duplicates: countAt(object.duplicates, `${path}.duplicates`),
    outOfOrder: countAt(object.outOfOrder, `${path}.outOfOrder`),
    reconnects: countAt(object.reconnects, `${path}.reconnects`),
    failures: countAt(object.failures, `${path}.failures`),
    lastFailure: lastFailure as ClientSummary["lastFailure"],
  };
}

function readRun(value: unknown, path: string): RunSummary {
  const object = objectAt(value, path);
  return {
    label: textAt(object.label, `${path}.label`),
    url: textAt(object.url, `${path}.url`),
    clients: countAt(object.clients, `${path}.clients`),
    startedAt: textAt(object.startedAt, `${path}.startedAt`),
    durationMs: countAt(object.durationMs, `${path}.durationMs`),
    generator: readGenerator(object.generator, `${path}.generator`),
  };
}

/**
 * Checks a parsed report file; `source` names it in the error. Percentile summaries are not
 * read: they are recomputed from the histograms.
 */
export function readReport(value: unknown, source: string): LoadReport {
  try {
    const object = objectAt(value, "report");
    if (object.format !== reportFormat) {
      fail("format", `"${reportFormat}" (a report written by sse-tool load --json)`);
    }
    const ids = object.ids;
    if (!idKinds.includes(ids as IdKind)) fail("ids", `one of ${idKinds.join(", ")}`);
    const connections = objectAt(object.connections, "connections");
    const histogramsObject = objectAt(object.histograms, "histograms");
    const histograms = {} as LoadReport["histograms"];
    for (const name of histogramNames) {
      try {
        histograms[name] = DurationHistogram.fromJSON(histogramsObject[name]).toJSON();
      } catch (error) {
        fail(`histograms.${name}`, `a histogram (${(error as Error).message})`);
      }
    }
    const errors = arrayAt(object.errors, "errors", failureReasons.length).map((entry, index) => {
      const error = objectAt(entry, `errors[${index}]`);
      if (!(failureReasons as readonly unknown[]).includes(error.reason)) {
        fail(`errors[${index}].reason`, "a failure reason");
      }
      return {
        reason: error.reason as LoadReport["errors"][number]["reason"],
        count: countAt(error.count, `errors[${index}].count`),
        example: textAt(error.example, `errors[${index}].example`),
      };
    });
    const report: LoadReport = {
      clients: countAt(object.clients, "clients"),
      connected: countAt(object.connected, "connected"),
      failed: countAt(object.failed, "failed"),
      events: countAt(object.events, "events"),
      missing: countAt(object.missing, "missing"),
      duplicates: countAt(object.duplicates, "duplicates"),
      reconnects: countAt(object.reconnects, "reconnects"),
      connect: null,
      firstEvent: null,
      skew: null,
      latency: null,
      generator: readGenerator(object.generator, "generator"),
      outOfOrder: countAt(object.outOfOrder, "outOfOrder"),
      ids: ids as IdKind,
      url: textAt(object.url, "url"),
      startedAt: textAt(object.startedAt, "startedAt"),
      durationMs: countAt(object.durationMs, "durationMs"),
      eventsPerSecond: 0,
      eventWindowMs: numberAt(object.eventWindowMs, "eventWindowMs"),
      peakConnected: countAt(object.peakConnected, "peakConnected"),
      bytes: countAt(object.bytes, "bytes"),
      connections: {
        opened: countAt(connections.opened, "connections.opened"),
        failed: reasonCounts(connections.failed, "connections.failed", failureReasons),
        dropped: reasonCounts(connections.dropped, "connections.dropped", dropReasons),
      },
      firstByte: null,
      latencyUnreadable: countAt(object.latencyUnreadable, "latencyUnreadable"),
      latencyNegative: countAt(object.latencyNegative, "latencyNegative"),
      worstClients: arrayAt(object.worstClients, "worstClients", worstClientsListed * 10).map(
        (entry, index) => readClient(entry, `worstClients[${index}]`),
      ),
      errors,
      warnings: arrayAt(object.warnings, "warnings", maxWarnings).map((entry, index) =>
        textAt(entry, `warnings[${index}]`),
      ),
      runs: arrayAt(object.runs, "runs", maxRuns).map((entry, index) =>
        readRun(entry, `runs[${index}]`),
      ),
      histograms,
      format: reportFormat,
    };
    try {
      const timeline = readTimeline(object.timeline);
      if (timeline !== undefined) report.timeline = timeline;
    } catch (error) {
      fail("timeline", `a timeline (${(error as Error).message})`);
    }
    return withSummaries(report);
  } catch (error) {
    if (error instanceof ReportShapeError) {
      throw new SseToolError("input", `${source} is not a load report: ${error.message}`);
    }
    throw error;
  }
}

/** Recomputes the percentile summaries and the rate from the histograms and counts. */
function withSummaries(report: LoadReport): LoadReport {
  const summary = (name: (typeof histogramNames)[number]) =>
    DurationHistogram.fromJSON(report.histograms[name]).summary();
  return {
    ...report,
    connect: summary("connect"),
    firstEvent: summary("firstEvent"),
    skew: summary("skew"),
    latency: summary("latency"),
    firstByte: summary("firstByte"),
    eventsPerSecond: ratePerSecond(report.events, report.durationMs),
  };
}

function addCounts<Reason extends string>(
  into: Partial<Record<Reason, number>>,
  from: Partial<Record<Reason, number>>,
): void {
  for (const [reason, count] of Object.entries(from) as Array<[Reason, number]>) {
    into[reason] = (into[reason] ?? 0) + count;
  }
}

function largest(values: readonly number[]): number {
  return values.reduce((max, value) => Math.max(max, value), 0);
}

/** Combines reports (at least one) into one. */
export function mergeReports(reports: readonly LoadReport[]): LoadReport {
  const first = reports[0];
  if (first === undefined) throw new SseToolError("usage", "--merge needs at least one report");
  const histograms = {} as LoadReport["histograms"];
  for (const name of histogramNames) {
    const merged = new DurationHistogram();
    for (const report of reports) merged.add(DurationHistogram.fromJSON(report.histograms[name]));
    histograms[name] = merged.toJSON();
  }
  const sum = (pick: (report: LoadReport) => number) =>
    reports.reduce((total, report) => total + pick(report), 0);
  const failed: LoadReport["connections"]["failed"] = {};
  const dropped: LoadReport["connections"]["dropped"] = {};
  const errors = new Map<string, LoadReport["errors"][number]>();
  for (const report of reports) {
    addCounts(failed, report.connections.failed);
    addCounts(dropped, report.connections.dropped);
    for (const error of report.errors) {
      const known = errors.get(error.reason);
      if (known === undefined) errors.set(error.reason, { ...error });
      else known.count += error.count;
    }
  }
  const kinds = new Set(reports.map((report) => report.ids).filter((kind) => kind !== "none"));
  const ids: IdKind = kinds.size === 0 ? "none" : kinds.size === 1 ? [...kinds][0]! : "mixed";
  const urls = [...new Set(reports.map((report) => report.url))];
  const generators = reports.map((report) => report.generator);
  const generator: GeneratorUsage = {
    processes: generators.reduce((total, usage) => total + usage.processes, 0),
    cpuPercent: largest(generators.map((usage) => usage.cpuPercent)),
    userMs: generators.reduce((total, usage) => total + usage.userMs, 0),
    systemMs: generators.reduce((total, usage) => total + usage.systemMs, 0),
    eventLoopBusyPercent: largest(generators.map((usage) => usage.eventLoopBusyPercent)),
    eventLoopDelayP99Ms: largest(generators.map((usage) => usage.eventLoopDelayP99Ms)),
    peakRssMb: largest(generators.map((usage) => usage.peakRssMb)),
    saturated: generators.some((usage) => usage.saturated),
  };
  const worst = reports
    .flatMap((report) => report.worstClients)
    .sort(compareClients)
    .slice(0, worstClientsListed);
  const warnings = [...new Set(reports.flatMap((report) => report.warnings))].slice(0, maxWarnings);
  const runs = reports.flatMap((report) => report.runs).slice(0, maxRuns);
  const merged: LoadReport = {
    clients: sum((report) => report.clients),
    connected: sum((report) => report.connected),
    failed: sum((report) => report.failed),
    events: sum((report) => report.events),
    missing: sum((report) => report.missing),
    duplicates: sum((report) => report.duplicates),
    reconnects: sum((report) => report.reconnects),
    connect: null,
    firstEvent: null,
    skew: null,
    latency: null,
    generator,
    outOfOrder: sum((report) => report.outOfOrder),
    ids,
    url:
      urls.length <= 3
        ? urls.join(", ")
        : `${urls.slice(0, 3).join(", ")} (+${urls.length - 3} more)`,
    startedAt: reports.map((report) => report.startedAt).sort()[0]!,
    durationMs: largest(reports.map((report) => report.durationMs)),
    eventsPerSecond: 0,
    // Runs on several machines overlap; the longest window stands for them all.
    eventWindowMs: largest(reports.map((report) => report.eventWindowMs)),
    peakConnected: sum((report) => report.peakConnected),
    bytes: sum((report) => report.bytes),
    connections: {
      opened: sum((report) => report.connections.opened),
      failed,
      dropped,
    },
    firstByte: null,
    latencyUnreadable: sum((report) => report.latencyUnreadable),
    latencyNegative: sum((report) => report.latencyNegative),
    worstClients: worst,
    errors: [...errors.values()].sort((a, b) => b.count - a.count),
    warnings,
    runs,
    histograms,
    format: reportFormat,
  };
  const timeline = mergeTimelines(
    reports.flatMap((report) => (report.timeline === undefined ? [] : [report.timeline])),
  );
  if (timeline !== undefined) merged.timeline = timeline;
  return withSummaries(merged);
}
