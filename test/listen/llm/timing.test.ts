/**
 * The LLM timings: gap percentiles from a bounded histogram (checked against the exact
 * nearest-rank values), stalls placed in the answer, and token or chunk rates.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GapHistogram, LlmTimingRecorder } from "../../../src/listen/llm/timing.js";
import { percentile } from "../../../src/listen/stats.js";

describe("GapHistogram", () => {
  it("p50 and p95 within 1 % of the exact nearest-rank values; the max exact", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 600_000, noNaN: true }), {
          minLength: 1,
          maxLength: 400,
        }),
        (gaps) => {
          const histogram = new GapHistogram();
          for (const gap of gaps) histogram.add(gap);
          const sorted = [...gaps].sort((a, b) => a - b);
          for (const q of [0.5, 0.95]) {
            const exact = percentile(sorted, q * 100)!;
            const estimate = histogram.quantile(q);
            // 1 % relative, or 0.1 ms absolute for gaps under a tenth of a millisecond.
            expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(Math.max(exact * 0.01, 0.1));
          }
          expect(histogram.stats()?.maxMs).toBe(sorted.at(-1));
        },
      ),
    );
  });

  it("is exact for whole-millisecond gaps under 100 ms (one value per bucket)", () => {
    const histogram = new GapHistogram();
    const gaps = Array.from({ length: 200 }, (_, i) => (i * 37) % 100);
    for (const gap of gaps) histogram.add(gap);
    const sorted = [...gaps].sort((a, b) => a - b);
    expect(histogram.stats()).toEqual({
      count: 200,
      p50Ms: percentile(sorted, 50),
      p95Ms: percentile(sorted, 95),
      maxMs: 99,
    });
  });

  it("keeps a fixed-size table, whatever the number of gaps (no gap is stored)", () => {
    const histogram = new GapHistogram();
    for (let i = 0; i < 1_000_000; i++) histogram.add((i % 997) * 1.7);
    expect(histogram.count).toBe(1_000_000);
    // About 2,100 buckets of a count and a sum: under 32 KiB for any stream length.
    expect(GapHistogram.storageBytes).toBeLessThan(32 * 1024);
    expect(histogram.stats()!.maxMs).toBeCloseTo(996 * 1.7, 6);
  });

  it("odd inputs (negative, NaN, Infinity) count as 0 ms, never poison the result", () => {
    const histogram = new GapHistogram();
    for (const gap of [-5, Number.NaN, Number.POSITIVE_INFINITY, 10]) histogram.add(gap);
    expect(histogram.stats()).toEqual({ count: 4, p50Ms: 0, p95Ms: 10, maxMs: 10 });
  });
});

describe("LlmTimingRecorder", () => {
  it("places stalls where the answer stood, with the first few kept and all counted", () => {
    const recorder = new LlmTimingRecorder(0, 1000);
    let answer = "";
    let at = 100;
    const chunk = (text: string, gapMs: number, section: "text" | "reasoning" = "text") => {
      at += gapMs;
      if (section === "text") answer += text;
      recorder.event(at);
      recorder.chunk(at, section, answer);
    };
    chunk("thinking", 0, "reasoning");
    chunk("", 1500, "reasoning"); // a stall inside the reasoning, before any answer text
    chunk("The quick brown fox", 20);
    chunk(" jumps", 2500); // a stall after "The quick brown fox"
    for (let i = 0; i < 30; i++) chunk(".", 1200);
    recorder.end(at + 10);
    const timings = recorder.timings(undefined);
    expect(timings.stalls.count).toBe(32);
    expect(timings.stalls.list).toHaveLength(20);
    expect(timings.stalls.list[0]).toEqual({
      startMs: 100,
      gapMs: 1500,
      answerChars: 0,
      section: "reasoning",
      before: "",
    });
    expect(timings.stalls.list[1]).toEqual({
      startMs: 1620,
      gapMs: 2500,
      answerChars: 19,
      section: "text",
      before: "The quick brown fox",
    });
    expect(timings.gaps).toMatchObject({ count: 33, maxMs: 2500 });
    expect(timings.outputTokensPerSecond).toBeUndefined();
    expect(timings.chunksPerSecond).toBeCloseTo((34 * 1000) / (at + 10 - 100), 9);
  });

  it("output tokens per second over the span from the first token to the end", () => {
    const recorder = new LlmTimingRecorder(0);
    recorder.chunk(200, "text", "a");
    recorder.chunk(700, "text", "ab");
    recorder.end(1200);
    expect(recorder.timings(50)).toMatchObject({
      firstTokenMs: 200,
      totalMs: 1200,
      chunks: 2,
      chunksPerSecond: 2,
      outputTokensPerSecond: 50,
    });
  });
});
