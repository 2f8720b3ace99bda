/**
 * One script for every provider's fake, each reply picked by a word in the last user message,
 * so each test asks for the reply kind it checks: the SDK tests (one file per provider) and
 * the `listen --llm` round trips read the same replies.
 */
import type { LlmFakeReply } from "../../../../src/serve/llm-fake/script.js";

export const weatherArgs = { city: "Oslo", units: "metric", note: "ünïcode 🦊" };
export const timeArgs = { zone: "Europe/Oslo" };

export const scripted = {
  text: {
    text: "Hello from the fake — ünïcode 🦊 too.",
    usage: { inputTokens: 11, outputTokens: 9 },
  },
  reasoning: {
    reasoning: "The user greets; answer briefly.",
    text: "Hi there!",
    usage: { inputTokens: 12, outputTokens: 10 },
  },
  tools: {
    text: "Let me look.",
    toolCalls: [
      { name: "get_weather", id: "call_weather", arguments: weatherArgs },
      { name: "get_time", id: "call_time", arguments: timeArgs },
    ],
    usage: { inputTokens: 20, outputTokens: 30 },
  },
  refusal: { refusal: "I can't help with that.", usage: { inputTokens: 5, outputTokens: 6 } },
  broken: {
    text: "Partial answer that never",
    error: { message: "upstream model crashed", afterTokens: 2 },
  },
  malformed: { text: "Never mind.", malformed: { afterTokens: 1 } },
  split: { text: "Split chunks — ünïcode 🦊 arrive whole.", splitJson: true },
  unauthorized: { httpError: { status: 401, message: "bad key" } },
  limited: { httpError: { status: 429, message: "slow down", retryAfterSeconds: 7 } },
  crashed: { httpError: { status: 500, message: "boom" } },
  overloaded: { httpError: { status: 529 } },
} satisfies Record<string, LlmFakeReply>;

export type ReplyKind = keyof typeof scripted;

/** The script: each reply matched by its kind's name in the last user message. */
export const replies: LlmFakeReply[] = [
  // After a tool result, the model answers with the result it was given.
  { match: { toolResult: "12°C" }, text: "It is 12°C in Oslo." },
  ...Object.entries(scripted).map(([kind, reply]) => ({
    match: { lastUser: `[${kind}]` },
    ...reply,
  })),
  { text: "Default reply." },
];

/** Fast enough for tests, slow enough to be a stream. */
export const testPace = { ttftMs: 5, tokensPerSecond: 500 };
