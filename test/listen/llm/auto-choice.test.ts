/**
 * The choice of the LLM view on the first *decisive* event, within a bound: events that say
 * nothing yet are held (then replayed or released in order), the rest decide at once.
 */
import { describe, expect, it } from "vitest";
import { LlmAutoChoice, llmChoiceMaxEvents } from "../../../src/listen/llm/auto-choice.js";
import { classifyLlmEvent } from "../../../src/listen/llm/recognise.js";

const ev = (data: string, type = "message") => ({ type, data });

describe("classifyLlmEvent", () => {
  it.each([
    ["an empty usage chunk", '{"choices":[],"usage":{"prompt_tokens":1}}', "maybe"],
    ["an Anthropic ping", '{"type":"ping"}', "maybe"],
    ["an error envelope", '{"error":{"message":"x"}}', "maybe"],
    ["a bare Vercel start", '{"type":"start"}', "maybe"],
    [
      "Azure's opening chunk",
      '{"choices":[],"prompt_filter_results":[{"prompt_index":0}]}',
      "openai-chat",
    ],
    ["a clock tick", "12:00:01", "no"],
    ["an app's own JSON", '{"user":"ann","text":"hi"}', "no"],
    ["an empty data line", "", "no"],
  ])("%s: %s", (_name, data, expected) => {
    expect(classifyLlmEvent(ev(data))).toBe(expected);
  });
});

describe("LlmAutoChoice", () => {
  const usage = ev('{"choices":[],"usage":{"prompt_tokens":1}}');
  const ping = ev('{"type":"ping"}', "ping");
  const chunk = ev(
    '{"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"x"}}]}',
  );

  it("holds what says nothing yet, then replays it all when a chunk names the format", () => {
    const choice = new LlmAutoChoice(false);
    expect(choice.offer(usage, 1, true)).toEqual({ kind: "hold" });
    expect(choice.offer(ping, 2, true)).toEqual({ kind: "hold" });
    expect(choice.offer(chunk, 3, true)).toEqual({
      kind: "llm",
      format: "openai-chat",
      held: [
        { event: usage, atMs: 1, shown: true },
        { event: ping, atMs: 2, shown: true },
        { event: chunk, atMs: 3, shown: true },
      ],
    });
  });

  it("automatic: an event no LLM sends decides against at once, releasing what was held", () => {
    const choice = new LlmAutoChoice(false);
    choice.offer(ping, 1, false);
    const step = choice.offer(ev("tick"), 2, true);
    expect(step).toMatchObject({ kind: "not-llm", bounded: false });
    expect(step.kind === "not-llm" && step.held.map((item) => item.event.data)).toEqual([
      '{"type":"ping"}',
      "tick",
    ]);
  });

  it(`gives up after ${llmChoiceMaxEvents} undecided events`, () => {
    const choice = new LlmAutoChoice(false);
    for (let i = 1; i < llmChoiceMaxEvents; i++)
      expect(choice.offer(ping, i, true).kind).toBe("hold");
    const step = choice.offer(ping, llmChoiceMaxEvents, true);
    expect(step).toMatchObject({ kind: "not-llm", bounded: true });
    expect(step.kind === "not-llm" && step.held).toHaveLength(llmChoiceMaxEvents);
  });

  it("gives up after 64 KiB of undecided data, however few the events", () => {
    const choice = new LlmAutoChoice(true);
    const big = ev(`{"error":{"message":"${"x".repeat(40_000)}"}}`);
    expect(choice.offer(big, 1, true).kind).toBe("hold");
    expect(choice.offer(big, 2, true)).toMatchObject({ kind: "not-llm", bounded: true });
  });

  it("--llm: an event of no known shape is held too, so a later chunk still decides", () => {
    const choice = new LlmAutoChoice(true);
    expect(choice.offer(ev('{"status":"queued"}'), 1, true)).toEqual({ kind: "hold" });
    expect(choice.offer(chunk, 2, true)).toMatchObject({ kind: "llm", format: "openai-chat" });
  });

  it("drain hands back what is held when the stream ends undecided", () => {
    const choice = new LlmAutoChoice(false);
    choice.offer(ping, 1, true);
    expect(choice.drain()).toEqual([{ event: ping, atMs: 1, shown: true }]);
    expect(choice.drain()).toEqual([]);
  });
});
