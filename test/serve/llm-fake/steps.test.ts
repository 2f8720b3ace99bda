import { describe, expect, it } from "vitest";
import { LlmStreamAssembler } from "../../../src/listen/llm/assembler.js";
import {
  type LlmFakeProvider,
  llmFakeSteps,
  tokenizeWordish,
} from "../../../src/serve/llm-fake/steps.js";
import { EventStreamDecoder, type StreamEvent } from "../../../src/sse/decoder.js";
import { encodeEvent } from "../../../src/sse/encoder.js";

describe("tokenizeWordish", () => {
  const cases: Array<[string, string[]]> = [
    ["Hello, world!", ["Hello", ",", " world", "!"]],
    ["  lead and trail  ", ["  lead", " and", " trail", "  "]],
    ["line one\nline two", ["line", " one", "\nline", " two"]],
    ["naïve café 42", ["naïve", " café", " 42"]],
    ["", []],
  ];
  it.each(cases)("%j", (text, tokens) => {
    expect(tokenizeWordish(text)).toEqual(tokens);
    expect(tokenizeWordish(text).join("")).toBe(text);
  });
});

function roundTrip(text: string, provider: LlmFakeProvider) {
  const steps = llmFakeSteps(text, provider, { promptTokens: 7, tokenDelayMs: 20 });
  const events: StreamEvent[] = [];
  const decoder = new EventStreamDecoder({ onEvent: (event) => events.push(event) });
  decoder.feedText(steps.map((step) => encodeEvent(step.event)).join(""));
  const assembler = new LlmStreamAssembler(0);
  let atMs = 0;
  events.forEach((event, i) => {
    atMs += steps[i]!.delayMs;
    assembler.push(event, atMs);
  });
  return { steps, summary: assembler.summary()! };
}

describe("llmFakeSteps", () => {
  const text = "The quick brown fox.\nIt jumps — “quoted” ünïcode, emoji 🦊 too.";
  it.each([
    ["openai", "openai-chat"],
    ["openai-responses", "openai-responses"],
    ["anthropic", "anthropic"],
    ["gemini", "gemini"],
    ["cohere", "cohere"],
    ["vercel-ai", "vercel-ai"],
  ] as const)(
    "%s: the assembler recognises the stream and gets the text back exactly",
    (provider, format) => {
      const { summary } = roundTrip(text, provider);
      expect(summary.format).toBe(format);
      expect(summary.text).toBe(text);
      expect(summary.complete).toBe(true);
      expect(summary.warnings).toEqual([]);
      const tokens = tokenizeWordish(text).length;
      expect(summary.timings.chunks).toBe(tokens);
      // The UI message stream carries no usage of its own.
      if (provider !== "vercel-ai") {
        expect(summary.usage).toMatchObject({ inputTokens: 7, outputTokens: tokens });
      }
    },
  );

  it("paces tokens: the opening at once, the first token after its delay, then the token delay", () => {
    const steps = llmFakeSteps("a b c", "openai", { firstTokenDelayMs: 300, tokenDelayMs: 25 });
    expect(steps.map((step) => step.delayMs)).toEqual([0, 300, 25, 25, 0, 0, 0]);
    expect(steps.at(-1)?.event).toEqual({ data: "[DONE]" });
  });

  it("injects stalls before the given token, and after the last one before the closing events", () => {
    const steps = llmFakeSteps("a b c", "anthropic", {
      firstTokenDelayMs: 100,
      tokenDelayMs: 10,
      stalls: [
        { afterTokens: 2, ms: 1000 },
        { afterTokens: 0, ms: 50 },
        { afterTokens: 3, ms: 700 },
      ],
    });
    const tokenDelays = steps
      .filter((step) => step.event.event === "content_block_delta")
      .map((step) => step.delayMs);
    expect(tokenDelays).toEqual([150, 10, 1010]);
    expect(steps.find((step) => step.event.event === "content_block_stop")?.delayMs).toBe(700);
  });

  it("a reply without tokens still waits the first-token time", () => {
    const steps = llmFakeSteps("", "gemini", { firstTokenDelayMs: 80 });
    expect(steps.map((step) => step.delayMs)).toEqual([80]);
  });

  it("anthropic: named events, in the provider's order", () => {
    const names = llmFakeSteps("hi there", "anthropic").map((step) => step.event.event);
    expect(names).toEqual([
      "message_start",
      "content_block_start",
      "ping",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
  });

  it("openai without usage omits the usage chunk", () => {
    const steps = llmFakeSteps("x", "openai", { includeUsage: false });
    expect(steps.some((step) => step.event.data?.includes('"usage"'))).toBe(false);
  });
});
