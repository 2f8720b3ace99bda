/**
 * The timings people ask of an LLM stream: time to first token, total, chunk and token rates,
 * inter-chunk gap percentiles and stalls with where in the answer they happened. Pure: the
 * caller passes every receive time.
 *
 * Memory stays bounded however long the stream runs: gaps go into a fixed log-scale histogram
 * (1 % wide buckets holding a count and a sum each, so p50/p95 are within 1 %, and exact when
 * a bucket holds one distinct value, as whole-millisecond gaps under 100 ms always do; the
 * maximum is kept exactly), and only the first few stalls are kept in full (all are counted).
 */
import { defaultLlmStallMs } from "../cli.js";
import type { LlmGapStats, LlmSection, LlmStall, LlmTimings } from "./types.js";

/** Stalls kept with their details; later ones are only counted. */
const maxStallsListed = 20;
/** Characters of answer shown before a stall. */
const stallContextChars = 24;

/** Bucket i >= 1 holds gaps in [floor * growth^(i-1), floor * growth^i). */
const bucketGrowth = 1.01;
const logGrowth = Math.log(bucketGrowth);
/** Gaps under this (ms) share bucket 0 and read as 0. */
const bucketFloorMs = 0.1;
/** Up to about 28 hours; longer gaps share the last bucket (the max stays exact). */
const bucketCount = 2 + Math.ceil(Math.log(1e8 / bucketFloorMs) / logGrowth);

/** A fixed-size log-scale histogram of non-negative durations. */
export class GapHistogram {
  readonly #counts = new Uint32Array(bucketCount);
  /** Sum of the gaps in each bucket: its mean is the value a quantile reports. */
  readonly #sums = new Float64Array(bucketCount);
  #count = 0;
  #max = 0;

  /** Bytes the histogram holds, whatever the number of gaps (for the bounded-memory test). */
  static readonly storageBytes =
    bucketCount * (Uint32Array.BYTES_PER_ELEMENT + Float64Array.BYTES_PER_ELEMENT);

  get count(): number {
    return this.#count;
  }

  add(gapMs: number): void {
    const value = gapMs > 0 && Number.isFinite(gapMs) ? gapMs : 0;
    const bucket = bucketOf(value);
    this.#counts[bucket]!++;
    this.#sums[bucket]! += value;
    this.#count++;
    if (value > this.#max) this.#max = value;
  }

  /** Nearest-rank quantile (q in 0..1): the mean of the bucket holding that rank; 0 when empty. */
  quantile(q: number): number {
    if (this.#count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.#count));
    let seen = 0;
    for (let bucket = 0; bucket < bucketCount; bucket++) {
      const count = this.#counts[bucket]!;
      seen += count;
      if (seen >= rank) return Math.min(this.#max, this.#sums[bucket]! / count);
    }
    return this.#max;
  }

  stats(): LlmGapStats | undefined {
    if (this.#count === 0) return undefined;
    return {
      count: this.#count,
      p50Ms: roundMs(this.quantile(0.5)),
      p95Ms: roundMs(this.quantile(0.95)),
      maxMs: this.#max,
    };
  }
}

/** To 0.01 ms: the histogram is 1 % wide, more digits would only be noise. */
function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function bucketOf(valueMs: number): number {
  if (valueMs < bucketFloorMs) return 0;
  const bucket = 1 + Math.floor(Math.log(valueMs / bucketFloorMs) / logGrowth);
  return Math.min(bucket, bucketCount - 1);
}

/** Where the reply stood after a chunk: for placing a stall that follows it. */
interface ChunkPlace {
  section: LlmSection;
  /** The answer text so far (only its length and last characters are read). */
  answer: string;
}

/** Records chunk and event times over one reply and turns them into LlmTimings. */
export class LlmTimingRecorder {
  readonly #startedAtMs: number;
  readonly #stallThresholdMs: number;
  readonly #gaps = new GapHistogram();
  readonly #stalls: LlmStall[] = [];
  #stallCount = 0;
  #chunks = 0;
  #firstChunkAtMs: number | undefined;
  #lastChunkAtMs: number | undefined;
  #lastPlace: ChunkPlace | undefined;
  #lastEventAtMs: number;
  #endedAtMs: number | undefined;

  constructor(startedAtMs: number, stallThresholdMs = defaultLlmStallMs) {
    this.#startedAtMs = startedAtMs;
    this.#lastEventAtMs = startedAtMs;
    this.#stallThresholdMs = stallThresholdMs;
  }

  /** Any event of the reply (to time a stream that never reaches its end marker). */
  event(atMs: number): void {
    this.#lastEventAtMs = atMs;
  }

  /**
   * An event that carried output, once its deltas are applied: `section` is what it carried
   * last and `answer` the answer text so far. A gap over the threshold since the previous
   * chunk is a stall, placed where the previous chunk left the reply.
   */
  chunk(atMs: number, section: LlmSection, answer: string): void {
    this.#chunks++;
    this.#firstChunkAtMs ??= atMs;
    if (this.#lastChunkAtMs !== undefined && this.#lastPlace !== undefined) {
      const gapMs = Math.max(0, atMs - this.#lastChunkAtMs);
      this.#gaps.add(gapMs);
      if (gapMs > this.#stallThresholdMs) this.#recordStall(gapMs, this.#lastPlace);
    }
    this.#lastChunkAtMs = atMs;
    this.#lastPlace = { section, answer };
  }

  end(atMs: number): void {
    this.#endedAtMs ??= atMs;
  }

  /** Timings so far; `outputTokens` from the usage block, when one was reported. */
  timings(outputTokens: number | undefined): LlmTimings {
    const endAtMs = this.#endedAtMs ?? this.#lastEventAtMs;
    const timings: LlmTimings = {
      totalMs: endAtMs - this.#startedAtMs,
      chunks: this.#chunks,
      stalls: {
        thresholdMs: this.#stallThresholdMs,
        count: this.#stallCount,
        list: this.#stalls.map((stall) => ({ ...stall })),
      },
    };
    if (this.#firstChunkAtMs !== undefined) {
      timings.firstTokenMs = this.#firstChunkAtMs - this.#startedAtMs;
      const spanMs = endAtMs - this.#firstChunkAtMs;
      if (spanMs > 0) {
        timings.chunksPerSecond = (this.#chunks * 1000) / spanMs;
        if (outputTokens !== undefined) {
          timings.outputTokensPerSecond = (outputTokens * 1000) / spanMs;
        }
      }
    }
    const gaps = this.#gaps.stats();
    if (gaps) timings.gaps = gaps;
    return timings;
  }

  #recordStall(gapMs: number, before: ChunkPlace): void {
    this.#stallCount++;
    if (this.#stalls.length >= maxStallsListed) return;
    const answer = before.answer;
    this.#stalls.push({
      startMs: (this.#lastChunkAtMs ?? this.#startedAtMs) - this.#startedAtMs,
      gapMs,
      answerChars: answer.length,
      section: before.section,
      // A copy, so the kept context does not pin the whole answer string.
      before: [...answer.slice(-stallContextChars)].join(""),
    });
  }
}
