import { describe, expect, it } from "vitest";
import { checkLlmFakeScript } from "../../../src/serve/llm-fake/script-check.js";

describe("checkLlmFakeScript", () => {
  it("takes a script, and a bare array as its replies", () => {
    const script = {
      seed: 7,
      pace: { ttftMs: 100, tokensPerSecond: 40, jitterMs: 5, stalls: [{ afterTokens: 3, ms: 50 }] },
      replies: [
        { match: { lastUser: "weather", model: "m", toolResult: "" }, text: "Hi" },
        {
          reasoning: "r",
          refusal: "no",
          toolCalls: [{ name: "f", arguments: { a: 1 }, id: "c" }],
          usage: { inputTokens: 1, outputTokens: 2 },
          error: { message: "x", afterTokens: 1 },
          malformed: { afterTokens: 0 },
          splitJson: true,
          pace: { ttftMs: 0 },
        },
        { httpError: { status: 429, message: "slow", retryAfterSeconds: 2 } },
      ],
    };
    expect(checkLlmFakeScript(script)).toEqual({ script });
    expect(checkLlmFakeScript([{ text: "a" }])).toEqual({ script: { replies: [{ text: "a" }] } });
  });

  it("lists every mistake, one line each, naming where it is", () => {
    const checked = checkLlmFakeScript({
      replies: [
        { txt: "typo" },
        { toolCalls: [{ arguments: [] }], httpError: { status: 200 } },
        { pace: { tokensPerSecond: 0, stalls: [{ afterTokens: -1 }] }, splitJson: "yes" },
        "text",
      ],
      seed: 1.5,
      extra: true,
    });
    expect(checked.problems).toEqual([
      "script.extra: unknown field (known: replies, pace, seed)",
      "replies[0].txt: unknown field (known: match, reasoning, text, refusal, toolCalls, usage, error, httpError, malformed, splitJson, whole, pace)",
      "replies[1].toolCalls[0].name: a string is required",
      "replies[1].toolCalls[0].arguments: an object is required",
      "replies[1].httpError.status: a whole number from 400 to 599 is required",
      "replies[2].splitJson: true or false is required",
      "replies[2].pace.tokensPerSecond: a number from 0.001 to 1000000 is required",
      "replies[2].pace.stalls[0].afterTokens: a whole number from 0 to 9007199254740991 is required",
      "replies[2].pace.stalls[0]: afterTokens and ms are required",
      "replies[3]: an object is required",
      "seed: a whole number from 0 to 4294967295 is required",
    ]);
  });

  it("two tool calls of one reply with the same id", () => {
    const toolCalls = [
      { name: "a", id: "c1" },
      { name: "b", id: "c1" },
    ];
    expect(checkLlmFakeScript([{ toolCalls }]).problems).toEqual([
      "replies[0].toolCalls[1].id: the same as toolCalls[0]'s",
    ]);
  });

  it("needs replies, at least one", () => {
    expect(checkLlmFakeScript({}).problems).toEqual(["replies: an array is required"]);
    expect(checkLlmFakeScript([]).problems).toEqual(["replies: at least one reply is required"]);
    expect(checkLlmFakeScript("x").problems).toEqual([
      "the script: an object or an array is required",
    ]);
  });

  it("stops listing after twenty mistakes", () => {
    const replies = Array.from({ length: 50 }, () => ({ nope: 1 }));
    expect(checkLlmFakeScript({ replies }).problems).toHaveLength(20);
  });
});
