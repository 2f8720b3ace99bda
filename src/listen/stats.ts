/**
 * Statistics over a stream for `listen --stats`: counts per event type, rate, bytes,
 * inter-arrival percentiles, reconnects. Pure: the caller passes every timestamp.
 *
 * Memory stays bounded however long the stream runs: gaps go into a fixed log-scale histogram
 * (src/listen/llm/timing.ts: p50/p99 within 1 %, exact for whole-millisecond gaps under 100 ms),
 * at most `maxTrackedTypes` event types are counted by name (copied, so a kept name does not pin
 * the chunk it came in; later new types are counted together), and the live line reads totals
 * only: nothing is sorted until the final block.
 */
import { detachedCopy } from "../sse/detached-copy.js";
import { escapeForTerminalLine } from "../terminal/escape.js";
import { formatBytes, formatMs } from "../terminal/units.js";
import { GapHistogram } from "./llm/timing.js";

/** Event types counted by name; events of further types are counted as "other types". */
export const maxTrackedTypes = 1000;
/** Event types listed in the final block, most frequent first. */
export const maxListedTypes = 20;

export interface StreamStatsTotals {
  /** Time from start to now, in milliseconds. */
  durationMs: number;
  events: number;
  /** Events per second over the whole duration (0 for a zero duration). */
  eventsPerSecond: number;
  /** Response body bytes received, over every connection. */
  bytes: number;
  reconnects: number;
}

export interface StreamStatsSummary extends StreamStatsTotals {
  /** Event counts per type, most frequent first (ties by name), at most `maxListedTypes`. */
  eventsByType: Array<{ type: string; count: number }>;
  /**
   * Events of the types not listed, and how many types those are (`atLeast`: more types came
   * than were tracked by name, so the count is a lower bound).
   */
  otherTypes?: { events: number; types: number; atLeast: boolean };
  /** Median gap between consecutive events; absent with fewer than two events. */
  interArrivalP50Ms?: number;
  /** 99th percentile gap between consecutive events; absent with fewer than two events. */
  interArrivalP99Ms?: number;
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
  /** Events whose type was first seen after `maxTrackedTypes` types were tracked. */
  #untrackedEvents = 0;
  readonly #gaps = new GapHistogram();
  #lastEventAtMs: number | undefined;
  #events = 0;
  #bytes = 0;
  #reconnects = 0;

  constructor(startedAtMs: number) {
    this.#startedAtMs = startedAtMs;
  }

  recordEvent(type: string, atMs: number): void {
    this.#events++;
    const count = this.#countsByType.get(type);
    if (count !== undefined) this.#countsByType.set(type, count + 1);
    else if (this.#countsByType.size < maxTrackedTypes)
      this.#countsByType.set(detachedCopy(type), 1);
    else this.#untrackedEvents++;
    if (this.#lastEventAtMs !== undefined) this.#gaps.add(atMs - this.#lastEventAtMs);
    this.#lastEventAtMs = atMs;
  }

  recordBytes(count: number): void {
    this.#bytes += count;
  }

  recordReconnect(): void {
    this.#reconnects++;
  }

  /** The running totals: cheap, for the live line. */
  totals(nowMs: number): StreamStatsTotals {
    const durationMs = Math.max(0, nowMs - this.#startedAtMs);
    return {
      durationMs,
      events: this.#events,
      eventsPerSecond: durationMs > 0 ? (this.#events * 1000) / durationMs : 0,
      bytes: this.#bytes,
      reconnects: this.#reconnects,
    };
  }

  /** Everything, for the final block: types sorted (at most `maxTrackedTypes` of them). */
  summary(nowMs: number): StreamStatsSummary {
    const sorted = [...this.#countsByType]
      .map(([type, count]) => ({ type, count }))
      .sort((a, b) => b.count - a.count || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
    const summary: StreamStatsSummary = {
      ...this.totals(nowMs),
      eventsByType: sorted.slice(0, maxListedTypes),
    };
    const unlisted = sorted.slice(maxListedTypes);
    if (unlisted.length > 0 || this.#untrackedEvents > 0) {
      let events = this.#untrackedEvents;
      for (const entry of unlisted) events += entry.count;
      const atLeast = this.#untrackedEvents > 0;
      summary.otherTypes = { events, types: unlisted.length + (atLeast ? 1 : 0), atLeast };
    }
    if (this.#gaps.count > 0) {
      summary.interArrivalP50Ms = roundMs(this.#gaps.quantile(0.5));
      summary.interArrivalP99Ms = roundMs(this.#gaps.quantile(0.99));
    }
    return summary;
  }
}

/** To 0.01 ms: the histogram is 1 % wide. */
function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** The stats block as printed on stderr: plain lines, no colour, server text escaped. */
export function formatStatsBlock(summary: StreamStatsSummary, timed = true): string[] {
  const lines = [
    !timed
      ? `stats: ${summary.events} events, ${formatBytes(summary.bytes)}, no times in the input`
      : `stats: ${summary.events} events in ${formatMs(summary.durationMs)} ` +
        `(${summary.eventsPerSecond.toFixed(1)}/s), ${formatBytes(summary.bytes)}, ` +
        `${summary.reconnects} reconnect${summary.reconnects === 1 ? "" : "s"}`,
  ];
  if (timed && summary.interArrivalP50Ms !== undefined && summary.interArrivalP99Ms !== undefined) {
    lines.push(
      `  inter-arrival p50 ${formatMs(summary.interArrivalP50Ms)}, ` +
        `p99 ${formatMs(summary.interArrivalP99Ms)}`,
    );
  }
  // Event names come from the server: shown escaped, never raw.
  const names = summary.eventsByType.map((entry) => escapeForTerminalLine(entry.type));
  let width = 0;
  for (const name of names) width = Math.max(width, name.length);
  summary.eventsByType.forEach(({ count }, i) => {
    lines.push(`  ${(names[i] ?? "").padEnd(width)}  ${count}`);
  });
  const other = summary.otherTypes;
  if (other) {
    lines.push(`  (${other.types}${other.atLeast ? "+" : ""} more types)  ${other.events}`);
  }
  return lines;
}

/** One short line for the live view on a TTY (rewritten in place by the caller). */
export function formatStatsLine(totals: StreamStatsTotals): string {
  return (
    `${totals.events} events · ${totals.eventsPerSecond.toFixed(1)}/s · ` +
    `${formatBytes(totals.bytes)} · ${totals.reconnects} reconnects`
  );
}
