/**
 * Every provider family the LLM view reads, on fixtures written for these tests in each
 * provider's documented stream shape (test/fixtures/llm): text, reasoning apart, tool calls with
 * their arguments put back together, usage, the stop reason, the end marker, and an error
 * event mid-stream. The format is recognised by the assembler itself (no format given).
 */
import { describe, expect, it } from "vitest";
import { LlmStreamAssembler, type LlmSummary } from "../../../src/listen/llm/assembler.js";
import { fixtureEvents } from "./fixture-events.js";

function assembleFixture(name: string): LlmSummary {
  const assembler = new LlmStreamAssembler(0);
  for (const [i, event] of fixtureEvents(name).entries()) assembler.push(event, 100 + i * 10);
  return assembler.summary()!;
}

type Expected = Partial<Omit<LlmSummary, "timings" | "usage">> & {
  usage?: { inputTokens?: number; outputTokens?: number; totalTokens?: number };
};

const replies: Array<[string, string, Expected]> = [
  [
    "OpenAI-compatible (vLLM, DeepSeek, xAI): reasoning_content apart, tool call split over chunks",
    "openai-compatible.sse",
    {
      format: "openai-chat",
      text: "Let me check Oslo.",
      reasoning: "The user wants the weather.",
      toolCalls: [{ index: 0, name: "get_weather", arguments: '{"city": "Oslo"}' }],
      usage: { inputTokens: 31, outputTokens: 17, totalTokens: 48 },
      stopReason: "tool_calls",
      complete: true,
    },
  ],
  [
    "Azure OpenAI: the prompt-filter opening chunk, content-filter results on every chunk",
    "azure-openai.sse",
    {
      format: "openai-chat",
      text: "Azure says hi.",
      usage: { inputTokens: 12, outputTokens: 4, totalTokens: 16 },
      stopReason: "stop",
      complete: true,
      warnings: [],
    },
  ],
  [
    "Mistral reasoning models: content as an array of thinking and text parts",
    "mistral.sse",
    {
      format: "openai-chat",
      text: "The answer is 4.",
      reasoning: "Two plus two is four.",
      toolCalls: [{ index: 0, name: "record", arguments: '{"value": 4}' }],
      usage: { inputTokens: 10, outputTokens: 30, totalTokens: 40 },
      stopReason: "tool_calls",
      complete: true,
      warnings: [],
    },
  ],
  [
    "Groq: `reasoning` beside the content, usage under x_groq",
    "groq.sse",
    {
      format: "openai-chat",
      text: "Hi!",
      reasoning: "Short answer.",
      usage: { inputTokens: 9, outputTokens: 5, totalTokens: 14 },
      complete: true,
    },
  ],
  [
    "OpenAI chat: a refusal is kept as a refusal, not dropped",
    "openai-chat-refusal.sse",
    {
      format: "openai-chat",
      text: "",
      refusal: "I'm sorry, I can't help with that.",
      complete: true,
      warnings: [],
    },
  ],
  [
    "OpenAI responses: a refusal the same way",
    "openai-responses-refusal.sse",
    {
      format: "openai-responses",
      text: "",
      refusal: "I'm sorry, I can't help with that.",
      complete: true,
      warnings: [],
    },
  ],
  [
    "OpenAI legacy completions: choices[].text, usage chunk, [DONE]",
    "openai-completions.sse",
    {
      format: "openai-completions",
      text: "\n\nOnce upon a time.",
      usage: { inputTokens: 5, outputTokens: 6, totalTokens: 11 },
      stopReason: "stop",
      complete: true,
    },
  ],
  [
    "Gemini: thought parts apart, function calls, cumulative usage (last wins), finishReason",
    "gemini.sse",
    {
      format: "gemini",
      text: "It is sunny in Oslo.",
      reasoning: "Checking what the user needs.",
      toolCalls: [
        { index: 0, name: "get_forecast", arguments: '{"city":"Oslo","days":3}' },
        { index: 1, name: "get_time", arguments: '{"tz":"Europe/Oslo"}' },
      ],
      // Output counts the thinking tokens: 20 candidates + 10 thoughts.
      usage: { inputTokens: 20, outputTokens: 30, totalTokens: 50 },
      stopReason: "STOP",
      complete: true,
      warnings: [],
    },
  ],
  [
    "Gemini: a prompt blocked with a 200 is a block, not an empty answer",
    "gemini-blocked.sse",
    { format: "gemini", text: "", blocked: "SAFETY", complete: true, warnings: [] },
  ],
  [
    "Cohere v2: thinking, tool plan, tool call split over chunks, text, usage from tokens",
    "cohere.sse",
    {
      format: "cohere",
      text: "It is 12°C.",
      reasoning: "Need the weather first.I will look it up.",
      toolCalls: [{ index: 0, name: "get_weather", arguments: '{"location": "Oslo"}' }],
      usage: { inputTokens: 920, outputTokens: 45, totalTokens: 965 },
      stopReason: "COMPLETE",
      complete: true,
      warnings: [],
    },
  ],
  [
    "Vercel AI SDK UI message stream: reasoning, tool input split over chunks, metadata usage",
    "vercel-ai.sse",
    {
      format: "vercel-ai",
      text: "It is 12 degrees.",
      reasoning: "The user asks for weather.",
      toolCalls: [{ index: 0, name: "getWeather", arguments: '{"city":"Oslo"}' }],
      usage: { inputTokens: 40, outputTokens: 18, totalTokens: 58 },
      complete: true,
      warnings: [],
    },
  ],
];

describe("each provider's reply, assembled", () => {
  it.each(replies)("%s", (_name, fixture, expected) => {
    const summary = assembleFixture(fixture);
    expect(summary).toMatchObject(expected);
    expect(summary.errors).toEqual([]);
  });
});

const errors: Array<[string, string, string, string]> = [
  [
    "openai-chat",
    "openai-chat-error.sse",
    "Partial answer",
    "server_error: The server had an error",
  ],
  [
    "openai-completions",
    "openai-completions-error.sse",
    "Once upon",
    "requests: Rate limit reached",
  ],
  ["openai-responses", "openai-responses-error.sse", "Half", "server_error: The model stopped"],
  ["anthropic", "anthropic-error.sse", "Start of", "overloaded_error: Overloaded"],
  ["gemini", "gemini-error.sse", "Partial", "UNAVAILABLE: The model is overloaded"],
  ["cohere", "cohere-error.sse", "Partial", "internal server error, please retry"],
  ["vercel-ai", "vercel-ai-error.sse", "Partial", "An error occurred."],
];

describe("an error event mid-stream", () => {
  it.each(errors)(
    "%s: the text so far, the provider's error, not complete",
    (format, fixture, text, error) => {
      const summary = assembleFixture(fixture);
      expect(summary.format).toBe(format);
      expect(summary.text).toBe(text);
      expect(summary.errors).toHaveLength(1);
      expect(summary.errors[0]).toContain(error);
      // Cohere's failed generation still ends with message-end; the others stop short.
      expect(summary.complete).toBe(format === "cohere");
    },
  );
});

describe("the timings each provider reports", () => {
  it("output tokens per second when usage counts them, chunks per second otherwise", () => {
    const withUsage = assembleFixture("cohere.sse");
    expect(withUsage.timings.outputTokensPerSecond).toBeGreaterThan(0);
    const noUsage = new LlmStreamAssembler(0);
    for (const [i, event] of fixtureEvents("vercel-ai-error.sse").entries()) {
      noUsage.push(event, 100 + i * 10);
    }
    expect(noUsage.summary()!.usage).toBeUndefined();
    expect(noUsage.summary()!.timings.outputTokensPerSecond).toBeUndefined();
  });
});
