/**
 * The `load` report: built from one run's counters, combined by --merge (merge.ts), printed as
 * one JSON object or as text. Pure.
 *
 * The JSON object starts with the totals a script checks first (clients ... reconnects, the
 * connect / firstEvent / skew / latency percentiles in ms, the generator's own usage), then the
 * details, then the histograms that make reports of several machines mergeable.
 */

import { type FailureReason, failureReasons } from "../../http/network-error.js";
import type { DeliveryResult, IdKind } from "../accounting/delivery-result.js";
import type { EncodedHistogram, PercentileSummary } from "../accounting/histogram.js";
import type { DropReason, LoadMetrics } from "../accounting/metrics.js";
import type { GeneratorUsage } from "../generator-usage.js";
import type { EncodedTimeline } from "./timeline.js";

export const reportFormat = "sse-tool-load/1";
/** Clients listed in `worstClients`. */
export const worstClientsListed = 10;

export const histogramNames = ["connect", "firstByte", "firstEvent", "skew", "latency"] as const;
export type HistogramName = (typeof histogramNames)[number];

export interface ClientSummary {
  /** The run (process) the client belonged to: its label (host:pid). */
  run: string;
  /** The client's number within its run, from 0. */
  client: number;
  events: number;
  missing: number;
  duplicates: number;
  outOfOrder: number;
  reconnects: number;
  failures: number;
  lastFailure: FailureReason | null;
}

export interface RunSummary {
  label: string;
  url: string;
  clients: number;
  startedAt: string;
  durationMs: number;
  generator: GeneratorUsage;
}

export interface LoadReport {
  clients: number;
  /** Clients holding an open stream when the run ended. */
  connected: number;
  /** Clients whose latest connection attempt failed. */
  failed: number;
  events: number;
  missing: number;
  duplicates: number;
  reconnects: number;
  connect: PercentileSummary | null;
  firstEvent: PercentileSummary | null;
  skew: PercentileSummary | null;
  latency: PercentileSummary | null;
  generator: GeneratorUsage;
  outOfOrder: number;
  ids: IdKind;
  url: string;
  startedAt: string;
  durationMs: number;
  eventsPerSecond: number;
  /** From the first event received to the last, ms: with a burst, events / this is the rate. */
  eventWindowMs: number;
  peakConnected: number;
  bytes: number;
  connections: {
    /** Streams opened (responses accepted), over all clients and reconnects. */
    opened: number;
    /** Failed attempts by reason. */
    failed: Partial<Record<FailureReason, number>>;
    /** Open streams that ended or broke, by reason. */
    dropped: Partial<Record<DropReason, number>>;
  };
  firstByte: PercentileSummary | null;
  /** With --latency-field: events whose data had no usable send time / a send time ahead. */
  latencyUnreadable: number;
  latencyNegative: number;
  worstClients: ClientSummary[];
  errors: Array<{ reason: FailureReason; count: number; example: string }>;
  warnings: string[];
  runs: RunSummary[];
  histograms: Record<HistogramName, EncodedHistogram>;
  /** Per-second series (report/timeline.ts); absent in reports of older versions. */
  timeline?: EncodedTimeline;
  format: typeof reportFormat;
}

export interface RunFacts {
  url: string;
  /** Names this process in merged reports (host:pid). */
  label: string;
  clients: number;
  startedAt: string;
  durationMs: number;
  /** Clients with an open stream at the end. */
  connected: number;
  /** From the first event any client received to the last one, ms (0 with fewer than two). */
  eventWindowMs: number;
  delivery: DeliveryResult;
  metrics: LoadMetrics;
  generator: GeneratorUsage;
  warnings: string[];
  timeline?: EncodedTimeline;
}

export function buildReport(facts: RunFacts): LoadReport {
  const { delivery, metrics } = facts;
  const histograms = {
    connect: metrics.connect,
    firstByte: metrics.firstByte,
    firstEvent: metrics.firstEvent,
    skew: delivery.skew,
    latency: metrics.latency,
  };
  const failed: Partial<Record<FailureReason, number>> = {};
  const errors: LoadReport["errors"] = [];
  for (const [reason, { count, example }] of metrics.failures) {
    failed[reason] = count;
    errors.push({ reason, count, example });
  }
  errors.sort((a, b) => b.count - a.count);
  const dropped: Partial<Record<DropReason, number>> = {};
  for (const [reason, count] of metrics.drops) dropped[reason] = count;
  return {
    clients: facts.clients,
    connected: facts.connected,
    failed: metrics.failingClients,
    events: delivery.events,
    missing: delivery.missing,
    duplicates: delivery.duplicates,
    reconnects: metrics.reconnects,
    connect: histograms.connect.summary(),
    firstEvent: histograms.firstEvent.summary(),
    skew: histograms.skew.summary(),
    latency: histograms.latency.summary(),
    generator: facts.generator,
    outOfOrder: delivery.outOfOrder,
    ids: delivery.ids,
    url: facts.url,
    startedAt: facts.startedAt,
    durationMs: Math.round(facts.durationMs),
    eventsPerSecond: ratePerSecond(delivery.events, facts.durationMs),
    eventWindowMs: Math.round(facts.eventWindowMs * 1000) / 1000,
    peakConnected: metrics.peakConnected,
    bytes: metrics.bytes,
    connections: { opened: metrics.opened, failed, dropped },
    firstByte: histograms.firstByte.summary(),
    latencyUnreadable: metrics.latencyUnreadable,
    latencyNegative: metrics.latencyNegative,
    worstClients: worstClients(facts),
    errors,
    warnings: facts.warnings,
    runs: [
      {
        label: facts.label,
        url: facts.url,
        clients: facts.clients,
        startedAt: facts.startedAt,
        durationMs: Math.round(facts.durationMs),
        generator: facts.generator,
      },
    ],
    histograms: {
      connect: histograms.connect.toJSON(),
      firstByte: histograms.firstByte.toJSON(),
      firstEvent: histograms.firstEvent.toJSON(),
      skew: histograms.skew.toJSON(),
      latency: histograms.latency.toJSON(),
    },
    ...(facts.timeline === undefined ? {} : { timeline: facts.timeline }),
    format: reportFormat,
  };
}

export function ratePerSecond(count: number, durationMs: number): number {
  return durationMs > 0 ? Math.round((count / durationMs) * 1000) : 0;
}

/** Worse first: more missing, then duplicates, out of order, failures, reconnects. */
export function compareClients(a: ClientSummary, b: ClientSummary): number {
  return (
    b.missing - a.missing ||
    b.duplicates - a.duplicates ||
    b.outOfOrder - a.outOfOrder ||
    b.failures - a.failures ||
    b.reconnects - a.reconnects ||
    (a.run < b.run ? -1 : a.run > b.run ? 1 : 0) ||
    a.client - b.client
  );
}

/** The clients with the most trouble (none when every client did fine). */
function worstClients(facts: RunFacts): ClientSummary[] {
  const { delivery, metrics } = facts;
  const worst: ClientSummary[] = [];
  for (let client = 0; client < facts.clients; client++) {
    const missing = delivery.clientMissing[client]!;
    const duplicates = delivery.clientDuplicates[client]!;
    const outOfOrder = delivery.clientOutOfOrder[client]!;
    const failures = metrics.clientFailures[client]!;
    const reconnects = metrics.clientReconnects[client]!;
    if (missing + duplicates + outOfOrder + failures + reconnects === 0) continue;
    const last = metrics.clientLastFailure[client]!;
    const summary: ClientSummary = {
      run: facts.label,
      client,
      events: delivery.clientEvents[client]!,
      missing,
      duplicates,
      outOfOrder,
      reconnects,
      failures,
      lastFailure: last === 0 ? null : failureReasons[last - 1]!,
    };
    if (worst.length === worstClientsListed && compareClients(summary, worst.at(-1)!) >= 0)
      continue;
    worst.push(summary);
    worst.sort(compareClients);
    if (worst.length > worstClientsListed) worst.pop();
  }
  return worst;
}
