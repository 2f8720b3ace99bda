/**
 * Statistics over a stream for `listen --stats`: counts per event type, rate, bytes,
 * inter-arrival percentiles, reconnects. Pure: the caller passes every timestamp.
 */
import { escapeForTerminalLine } from "../terminal/escape.js";
import { formatBytes, formatMs } from "../terminal/units.js";

export interface StreamStatsSummary {
  /** Time from start to the summary, in milliseconds. */
  durationMs: number;
  events: number;
  /** Event counts per type, most frequent first (ties by name). */
  eventsByType: Array<{ type: string; count: number }>;
  /** Events per second over the whole duration (0 for a zero duration). */
  eventsPerSecond: number;
  /** Response body bytes received, over every connection. */
  bytes: number;
  /** Median gap between consecutive events; absent with fewer than two events. */
  interArrivalP50Ms?: number;
  /** 99th percentile gap between consecutive events; absent with fewer than two events. */
  interArrivalP99Ms?: number;
  reconnects: number;
}

/**
 * The nearest-rank percentile (`p` in 0..100) of sorted values: the smallest value with at
 * least p% of values at or below it. Undefined for no values.
 */
export function percentile(sortedValues: readonly number[], p: number): number | undefined {
  if (sortedValues.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * sortedValues.length));
  return sortedValues[Math.min(rank, sortedValues.length) - 1];
}

export class StreamStats {
  readonly #startedAtMs: number;
  readonly #countsByType = new Map<string, number>();
  readonly #gapsMs: number[] = [];
  #lastEventAtMs: number | undefined;
  #events = 0;
  #bytes = 0;
  #reconnects = 0;

  constructor(startedAtMs: number) {
    this.#startedAtMs = startedAtMs;
  }

  recordEvent(type: string, atMs: number): void {
    this.#events++;
    this.#countsByType.set(type, (this.#countsByType.get(type) ?? 0) + 1);
    if (this.#lastEventAtMs !== undefined) this.#gapsMs.push(atMs - this.#lastEventAtMs);
    this.#lastEventAtMs = atMs;
  }

  recordBytes(count: number): void {
    this.#bytes += count;
  }

  recordReconnect(): void {
    this.#reconnects++;
  }

  summary(nowMs: number): StreamStatsSummary {
    const durationMs = Math.max(0, nowMs - this.#startedAtMs);
    const gaps = [...this.#gapsMs].sort((a, b) => a - b);
    const eventsByType = [...this.#countsByType]
      .map(([type, count]) => ({ type, count }))
      .sort((a, b) => b.count - a.count || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
    const summary: StreamStatsSummary = {
      durationMs,
      events: this.#events,
      eventsByType,
      eventsPerSecond: durationMs > 0 ? (this.#events * 1000) / durationMs : 0,
      bytes: this.#bytes,
      reconnects: this.#reconnects,
    };
    const p50 = percentile(gaps, 50);
    const p99 = percentile(gaps, 99);
    if (p50 !== undefined) summary.interArrivalP50Ms = p50;
    if (p99 !== undefined) summary.interArrivalP99Ms = p99;
    return summary;
  }
}

/** The stats block as printed on stderr: plain lines, no colour. */
export function formatStatsBlock(summary: StreamStatsSummary): string[] {
  const lines = [
    `stats: ${summary.events} events in ${formatMs(summary.durationMs)} ` +
      `(${summary.eventsPerSecond.toFixed(1)}/s), ${formatBytes(summary.bytes)}, ` +
      `${summary.reconnects} reconnect${summary.reconnects === 1 ? "" : "s"}`,
  ];
  if (summary.interArrivalP50Ms !== undefined && summary.interArrivalP99Ms !== undefined) {
    lines.push(
      `  inter-arrival p50 ${formatMs(summary.interArrivalP50Ms)}, ` +
        `p99 ${formatMs(summary.interArrivalP99Ms)}`,
    );
  }
  // Event names come from the server: shown escaped, never raw.
  const names = summary.eventsByType.map((entry) => escapeForTerminalLine(entry.type));
  const width = Math.max(0, ...names.map((name) => name.length));
  summary.eventsByType.forEach(({ count }, i) => {
    lines.push(`  ${(names[i] ?? "").padEnd(width)}  ${count}`);
  });
  return lines;
}

/** One short line for the live view on a TTY (rewritten in place by the caller). */
export function formatStatsLine(summary: StreamStatsSummary): string {
  return (
    `${summary.events} events · ${summary.eventsPerSecond.toFixed(1)}/s · ` +
    `${formatBytes(summary.bytes)} · ${summary.reconnects} reconnects`
  );
}
