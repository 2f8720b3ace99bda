/**
 * The per-second time series of a `load` run, in fixed memory: each column holds at most
 * `capacity` slots; when they are full, neighbouring pairs are merged and a slot then covers
 * twice the time. An hour-long run costs the same memory as a ten-minute one. Pure.
 */

/** Columns of the timeline; each value is per second (counts) or as sampled (gauges). */
export const timelineColumns = [
  "connected",
  "connecting",
  "failed",
  "eventsPerSecond",
  "latencyP50",
  "latencyP95",
  "latencyP99",
  "skewP50",
  "skewP95",
  "skewP99",
  "missingPerSecond",
  "duplicatesPerSecond",
  "outOfOrderPerSecond",
  "cpuPercent",
  "rssMb",
  "eventLoopBusyPercent",
] as const;
export type TimelineColumn = (typeof timelineColumns)[number];

/** Columns merged by taking the larger value (a percentile of a pair is not their mean). */
const maxColumns = new Set<TimelineColumn>([
  "latencyP50",
  "latencyP95",
  "latencyP99",
  "skewP50",
  "skewP95",
  "skewP99",
]);

/** Columns added up when the timelines of several machines are combined (--merge). */
const summedAcrossRuns = new Set<TimelineColumn>([
  "connected",
  "connecting",
  "failed",
  "eventsPerSecond",
  "missingPerSecond",
  "duplicatesPerSecond",
  "outOfOrderPerSecond",
  "cpuPercent",
  "rssMb",
]);

export const defaultTimelineCapacity = 1800;

export type TimelineSample = Record<TimelineColumn, number>;

/** The JSON form, in `load --json` as `timeline`; `null` stands for no value that second. */
export interface EncodedTimeline {
  /** Wall-clock time of the first slot, ms since the epoch. */
  startMs: number;
  /** Seconds each slot covers. */
  stepSeconds: number;
  columns: Record<TimelineColumn, Array<number | null>>;
}

export class LoadTimeline {
  readonly capacity: number;
  readonly startMs: number;
  #stepSeconds = 1;
  #length = 0;
  /** Samples folded into the slot being filled (when a slot covers several seconds). */
  #pending = 0;
  readonly #columns: Record<TimelineColumn, Float64Array>;

  constructor(startMs: number, capacity = defaultTimelineCapacity) {
    if (capacity < 2 || capacity % 2 !== 0) throw new RangeError("capacity must be even, ≥ 2");
    this.startMs = startMs;
    this.capacity = capacity;
    const columns = {} as Record<TimelineColumn, Float64Array>;
    for (const name of timelineColumns) columns[name] = new Float64Array(capacity);
    this.#columns = columns;
  }

  get length(): number {
    return this.#length;
  }

  get stepSeconds(): number {
    return this.#stepSeconds;
  }

  /** Adds one second's sample. */
  push(sample: TimelineSample): void {
    if (this.#pending === 0) {
      if (this.#length === this.capacity) this.#halve();
      for (const name of timelineColumns) this.#columns[name][this.#length] = sample[name];
      this.#length++;
    } else {
      const slot = this.#length - 1;
      for (const name of timelineColumns) {
        const column = this.#columns[name];
        column[slot] = combine(name, column[slot]!, sample[name], this.#pending);
      }
    }
    this.#pending = (this.#pending + 1) % this.#stepSeconds;
  }

  /** Merges neighbouring slots: half as many, each covering twice the time. */
  #halve(): void {
    const half = this.#length / 2;
    for (const name of timelineColumns) {
      const column = this.#columns[name];
      for (let slot = 0; slot < half; slot++) {
        column[slot] = combine(name, column[2 * slot]!, column[2 * slot + 1]!, 1);
      }
    }
    this.#length = half;
    this.#stepSeconds *= 2;
  }

  toJSON(): EncodedTimeline {
    const columns = {} as EncodedTimeline["columns"];
    for (const name of timelineColumns) {
      const values: Array<number | null> = [];
      const column = this.#columns[name];
      for (let slot = 0; slot < this.#length; slot++) values.push(rounded(column[slot]!));
      columns[name] = values;
    }
    return { startMs: this.startMs, stepSeconds: this.#stepSeconds, columns };
  }
}

/** `previous` already averages `weight` samples; `next` is one more (or a slot of equal weight). */
function combine(name: TimelineColumn, previous: number, next: number, weight: number): number {
  if (Number.isNaN(previous)) return next;
  if (Number.isNaN(next)) return previous;
  if (maxColumns.has(name)) return Math.max(previous, next);
  return (previous * weight + next) / (weight + 1);
}

function rounded(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  return Math.round(value * 1000) / 1000;
}

/**
 * The timelines of several runs on one wall-clock axis: counts and gauges added up (the whole
 * fleet), percentiles the largest of the runs (the fleet's is at most that). Bounded: at most
 * `capacity` slots, coarser steps when the runs span more time.
 */
export function mergeTimelines(
  timelines: EncodedTimeline[],
  capacity = defaultTimelineCapacity,
): EncodedTimeline | undefined {
  if (timelines.length === 0) return undefined;
  if (timelines.length === 1) return timelines[0];
  let startMs = Number.POSITIVE_INFINITY;
  let endMs = Number.NEGATIVE_INFINITY;
  let stepSeconds = 0;
  for (const timeline of timelines) {
    startMs = Math.min(startMs, timeline.startMs);
    endMs = Math.max(endMs, timeline.startMs + slots(timeline) * timeline.stepSeconds * 1000);
    stepSeconds = Math.max(stepSeconds, timeline.stepSeconds);
  }
  while ((endMs - startMs) / (stepSeconds * 1000) > capacity) stepSeconds *= 2;
  const length = Math.max(1, Math.ceil((endMs - startMs) / (stepSeconds * 1000)));
  const columns = {} as EncodedTimeline["columns"];
  for (const name of timelineColumns) {
    const merged = new Array<number | null>(length).fill(null);
    for (const timeline of timelines) {
      // Within one run, slots that fall in the same merged slot are averaged (or maxed).
      const sums = new Map<number, { total: number; count: number }>();
      const values = timeline.columns[name];
      for (let slot = 0; slot < values.length; slot++) {
        const value = values[slot];
        if (value === null || value === undefined) continue;
        const atMs = timeline.startMs + slot * timeline.stepSeconds * 1000;
        const target = Math.floor((atMs - startMs) / (stepSeconds * 1000));
        const entry = sums.get(target) ?? { total: Number.NaN, count: 0 };
        entry.total = Number.isNaN(entry.total)
          ? value
          : maxColumns.has(name)
            ? Math.max(entry.total, value)
            : entry.total + value;
        entry.count++;
        sums.set(target, entry);
      }
      for (const [target, { total, count }] of sums) {
        if (target < 0 || target >= length) continue;
        const value = maxColumns.has(name) ? total : total / count;
        const before = merged[target];
        merged[target] =
          before === null || before === undefined
            ? rounded(value)
            : summedAcrossRuns.has(name)
              ? rounded(before + value)
              : rounded(Math.max(before, value));
      }
    }
    columns[name] = merged;
  }
  return { startMs, stepSeconds, columns };
}

function slots(timeline: EncodedTimeline): number {
  return timeline.columns.connected.length;
}

/** Checks a timeline read from a report file; undefined when absent, a RangeError when bad. */
export function readTimeline(value: unknown): EncodedTimeline | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object") throw new RangeError("timeline is not an object");
  const { startMs, stepSeconds, columns } = value as Record<string, unknown>;
  if (typeof startMs !== "number" || !Number.isFinite(startMs)) {
    throw new RangeError("timeline.startMs is not a number");
  }
  if (typeof stepSeconds !== "number" || !Number.isSafeInteger(stepSeconds) || stepSeconds < 1) {
    throw new RangeError("timeline.stepSeconds is not a whole number of seconds");
  }
  if (typeof columns !== "object" || columns === null) {
    throw new RangeError("timeline.columns is not an object");
  }
  const read = {} as EncodedTimeline["columns"];
  let length: number | undefined;
  for (const name of timelineColumns) {
    const column = (columns as Record<string, unknown>)[name];
    if (!Array.isArray(column) || column.length > 1_000_000) {
      throw new RangeError(`timeline.columns.${name} is not a list`);
    }
    if (length !== undefined && column.length !== length) {
      throw new RangeError("timeline columns differ in length");
    }
    length = column.length;
    for (const entry of column) {
      if (entry !== null && (typeof entry !== "number" || !Number.isFinite(entry))) {
        throw new RangeError(`timeline.columns.${name} holds a value that is not a number`);
      }
    }
    read[name] = column as Array<number | null>;
  }
  return { startMs, stepSeconds, columns: read };
}
