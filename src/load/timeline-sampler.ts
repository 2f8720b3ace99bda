/**
 * Samples a running `load` once a second into its timeline (report/timeline.ts): clients
 * connected, connecting and failing, events, the second's latency and skew percentiles (the
 * difference of the cumulative histograms), new id problems, and the generator's CPU, memory and
 * event-loop busy share. Reads counters only: nothing on the clients' hot path.
 */
import { performance } from "node:perf_hooks";
import type { DeliveryAccounting } from "./accounting/delivery.js";
import { DurationHistogram, type EncodedHistogram } from "./accounting/histogram.js";
import type { LoadMetrics } from "./accounting/metrics.js";
import type { ClientPool } from "./clients/client-pool.js";
import { histogramDelta } from "./report/histogram-delta.js";
import { LoadTimeline, type TimelineSample } from "./report/timeline.js";

export interface TimelineSources {
  pool: ClientPool;
  metrics: LoadMetrics;
  accounting: DeliveryAccounting;
}

/** How long after an id's first receipt its skew is read. */
const skewSettleMs = 1000;
const emptyHistogram: EncodedHistogram = { count: 0, minUs: 0, maxUs: 0, buckets: [] };

export class TimelineSampler {
  readonly timeline: LoadTimeline;
  readonly #sources: TimelineSources;
  readonly #timer: NodeJS.Timeout;
  #lastAt = performance.now();
  #lastCpu = process.cpuUsage();
  #lastElu = performance.eventLoopUtilization();
  #lastEvents = 0;
  #lastMissing = 0;
  #lastDuplicates = 0;
  #lastOutOfOrder = 0;
  #lastLatency = emptyHistogram;
  #skewFrom = Number.NEGATIVE_INFINITY;

  constructor(sources: TimelineSources, capacity?: number) {
    this.#sources = sources;
    // The timeline halves by pairs: an even number of slots, at least two.
    const slots = capacity === undefined ? undefined : Math.max(2, capacity + (capacity % 2));
    this.timeline = new LoadTimeline(Date.now(), slots);
    this.#timer = setInterval(() => this.#sample(), 1000);
    this.#timer.unref();
  }

  #sample(final = false): void {
    const { pool, metrics, accounting } = this.#sources;
    const now = performance.now();
    const seconds = Math.max(0.001, (now - this.#lastAt) / 1000);
    this.#lastAt = now;
    const cpu = process.cpuUsage(this.#lastCpu);
    this.#lastCpu = process.cpuUsage();
    const elu = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(elu, this.#lastElu).utilization;
    this.#lastElu = elu;
    const running = accounting.running();
    const latency = metrics.latency.toJSON();
    // An id's skew is known once its last client had time to get it: a second later.
    const skew = new DurationHistogram();
    const skewCut = final ? now : now - skewSettleMs;
    accounting.skewBetween(this.#skewFrom, skewCut, skew);
    this.#skewFrom = skewCut;
    const latencyNow = histogramDelta(latency, this.#lastLatency);
    this.#lastLatency = latency;
    const failed = metrics.failingClients;
    const sample: TimelineSample = {
      connected: metrics.connectedNow,
      connecting: Math.max(0, pool.started - metrics.connectedNow - failed),
      failed,
      eventsPerSecond: (pool.events - this.#lastEvents) / seconds,
      latencyP50: latencyNow.p50,
      latencyP95: latencyNow.p95,
      latencyP99: latencyNow.p99,
      skewP50: skew.percentile(50),
      skewP95: skew.percentile(95),
      skewP99: skew.percentile(99),
      missingPerSecond: Math.max(0, running.missing - this.#lastMissing) / seconds,
      duplicatesPerSecond: (running.duplicates - this.#lastDuplicates) / seconds,
      outOfOrderPerSecond: (running.outOfOrder - this.#lastOutOfOrder) / seconds,
      cpuPercent: ((cpu.user + cpu.system) / 1000 / (seconds * 1000)) * 100,
      rssMb: residentMb(),
      eventLoopBusyPercent: busy * 100,
    };
    this.#lastEvents = pool.events;
    this.#lastMissing = running.missing;
    this.#lastDuplicates = running.duplicates;
    this.#lastOutOfOrder = running.outOfOrder;
    this.timeline.push(sample);
  }

  /** Takes the last (partial) second and stops. */
  finish(): LoadTimeline {
    clearInterval(this.#timer);
    if (performance.now() - this.#lastAt > 200) this.#sample(true);
    return this.timeline;
  }
}

/** Resident memory in MB; NaN when it cannot be read (it opens /proc: fails out of files). */
function residentMb(): number {
  try {
    return process.memoryUsage.rss() / (1024 * 1024);
  } catch {
    return Number.NaN;
  }
}
