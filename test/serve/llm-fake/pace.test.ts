import { describe, expect, it } from "vitest";
import { tokenizeWordish } from "../../../src/serve/llm-fake/plan.js";
import { paceSettings, replySteps } from "../../../src/serve/llm-fake/steps.js";

const context = { model: "m", promptTokens: 3, created: 0, idSuffix: "", includeUsage: true };
const text = Array.from({ length: 30 }, (_, i) => ` w${i}`).join("");

/** The delays of the token-carrying events (openai chat: content chunks). */
function tokenDelays(pace: Parameters<typeof paceSettings>[0], seed: number): number[] {
  const steps = replySteps({ text }, "openai", context, paceSettings(pace, seed));
  return steps.filter((step) => step.event.data?.includes('"content":" w')).map((s) => s.delayMs);
}

describe("pace: time to first token, tokens per second, seeded jitter, stalls", () => {
  it("ttft before the first token, then 1000 / tokensPerSecond", () => {
    const delays = tokenDelays({ ttftMs: 120, tokensPerSecond: 50 }, 1);
    expect(delays).toHaveLength(tokenizeWordish(text).length);
    expect(delays[0]).toBe(120);
    expect(new Set(delays.slice(1))).toEqual(new Set([20]));
  });

  it("jitter moves each gap within ±jitterMs, the same for the same seed", () => {
    const pace = { ttftMs: 0, tokensPerSecond: 50, jitterMs: 8 };
    const first = tokenDelays(pace, 42);
    expect(tokenDelays(pace, 42)).toEqual(first);
    expect(tokenDelays(pace, 43)).not.toEqual(first);
    const gaps = first.slice(1);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(12);
      expect(gap).toBeLessThanOrEqual(28);
    }
    // Scattered, not constant: the gaps take many values around 20.
    expect(new Set(gaps.map(Math.round)).size).toBeGreaterThan(5);
    const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
    expect(Math.abs(mean - 20)).toBeLessThan(4);
  });

  it("a stall adds its pause before the token it names", () => {
    const delays = tokenDelays(
      { ttftMs: 10, tokensPerSecond: 100, stalls: [{ afterTokens: 4, ms: 500 }] },
      1,
    );
    expect(delays.slice(0, 6)).toEqual([10, 10, 10, 10, 510, 10]);
  });

  it("a reply's own pace wins over the script's (merged field by field)", () => {
    const merged = paceSettings({ ...{ ttftMs: 5, tokensPerSecond: 10 }, ...{ ttftMs: 99 } }, 1);
    expect(merged).toMatchObject({ firstTokenDelayMs: 99, tokenDelayMs: 100, jitterMs: 0 });
  });
});

describe("reply kinds in the steps", () => {
  it("an error after n tokens: n tokens, then the provider's error, nothing after", () => {
    const steps = replySteps(
      { text: "one two three four", error: { message: "down", afterTokens: 2 } },
      "anthropic",
      context,
      paceSettings({}, 1),
    );
    const names = steps.map((step) => step.event.event);
    expect(names.filter((name) => name === "content_block_delta")).toHaveLength(2);
    expect(names.at(-1)).toBe("error");
    expect(names).not.toContain("message_stop");
  });

  it("a malformed chunk: a real chunk cut short, after n tokens", () => {
    const steps = replySteps(
      { text: "one two", malformed: { afterTokens: 1 } },
      "openai",
      context,
      paceSettings({}, 1),
    );
    const broken = steps.filter((step) => {
      try {
        JSON.parse(step.event.data ?? "");
        return false;
      } catch {
        return step.event.data !== "[DONE]";
      }
    });
    expect(broken).toHaveLength(1);
    expect(broken[0]!.event.data).toMatch(/^\{"id":"chatcmpl-fake"/);
    // After the first token's chunk, before the second's.
    const at = steps.indexOf(broken[0]!);
    expect(steps[at - 1]!.event.data).toContain('"content":"one"');
    expect(steps[at + 1]!.event.data).toContain('"content":" two"');
  });
});
