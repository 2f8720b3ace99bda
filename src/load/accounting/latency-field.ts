/**
 * `--latency-field <path>`: the send time an event's JSON data carries, turned into end-to-end
 * latency (receive time minus send time). Pure. The same event reaches every client, so with
 * sequence ids the send time is read once per event, not once per client.
 */
import { SseToolError } from "../../errors.js";
import { sequenceNumber } from "../../sse/event-id.js";
import type { LoadMetrics } from "./metrics.js";

const maxSegments = 16;
const cacheSlots = 4096;

/**
 * Parses a field path: `sentAt`, `meta.sentAt`, `.meta.sentAt`, `$.meta.sentAt`, `items.0.t`
 * (a number picks an array element).
 */
export function parseFieldPath(spec: string): string[] {
  let path = spec.trim();
  if (path.startsWith("$")) path = path.slice(1);
  if (path.startsWith(".")) path = path.slice(1);
  const segments = path.split(".");
  if (path === "" || segments.some((segment) => segment === "")) {
    throw new SseToolError(
      "usage",
      `invalid --latency-field ${JSON.stringify(spec)}: expected a path such as sentAt or meta.sentAt`,
    );
  }
  if (segments.length > maxSegments) {
    throw new SseToolError("usage", `--latency-field has more than ${maxSegments} parts`);
  }
  return segments;
}

/**
 * A send time in epoch milliseconds from a number (seconds, milliseconds, microseconds or
 * nanoseconds since 1970, told apart by size) or a date string (ISO 8601).
 */
export function sendTimeMs(value: unknown): number | undefined {
  let number: number;
  if (typeof value === "number") number = value;
  else if (typeof value === "string" && /^[0-9]+(\.[0-9]+)?$/.test(value)) number = Number(value);
  else if (typeof value === "string") {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  } else return undefined;
  if (!Number.isFinite(number) || number <= 0) return undefined;
  if (number >= 1e17) return number / 1e6;
  if (number >= 1e14) return number / 1e3;
  if (number >= 1e11) return number;
  return number * 1000;
}

export class LatencyReader {
  readonly #path: string[];
  /** Send times by sequence id (direct-mapped), with the event's fingerprint to confirm. */
  readonly #cachedId = new Float64Array(cacheSlots).fill(-1);
  readonly #cachedFingerprint = new Int32Array(cacheSlots);
  readonly #cachedSentAt = new Float64Array(cacheSlots);

  constructor(path: string) {
    this.#path = parseFieldPath(path);
  }

  /** The send time in `data`, or undefined when it is not JSON or has no usable field. */
  read(data: string): number | undefined {
    const first = data.charCodeAt(0);
    if (first !== 0x7b && first !== 0x5b) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch {
      return undefined;
    }
    for (const segment of this.#path) {
      if (typeof value !== "object" || value === null) return undefined;
      value = Object.hasOwn(value, segment)
        ? (value as Record<string, unknown>)[segment]
        : undefined;
    }
    return sendTimeMs(value);
  }

  /** Records the latency of one received event into the metrics. */
  record(
    event: { data: string; lastEventId: string },
    fingerprint: number,
    receivedAtMs: number,
    metrics: LoadMetrics,
  ): void {
    const id = sequenceNumber(event.lastEventId);
    let sentAt: number | undefined;
    const slot = id >= 0 ? id % cacheSlots : -1;
    if (slot >= 0 && this.#cachedId[slot] === id && this.#cachedFingerprint[slot] === fingerprint) {
      sentAt = this.#cachedSentAt[slot]!;
    } else {
      sentAt = this.read(event.data) ?? Number.NaN;
      if (slot >= 0) {
        this.#cachedId[slot] = id;
        this.#cachedFingerprint[slot] = fingerprint;
        this.#cachedSentAt[slot] = sentAt;
      }
    }
    if (Number.isNaN(sentAt)) metrics.latencyUnreadable++;
    else if (receivedAtMs < sentAt) metrics.latencyNegative++;
    else metrics.latency.record(receivedAtMs - sentAt);
  }
}
