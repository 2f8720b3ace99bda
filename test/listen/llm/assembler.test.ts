import { describe, expect, it } from "vitest";
import {
  type LlmDelta,
  type LlmFormat,
  LlmStreamAssembler,
  recogniseLlmEvent,
} from "../../../src/listen/llm/assembler.js";
import type { StreamEvent } from "../../../src/sse/decoder.js";
import { fixtureEvents } from "./fixture-events.js";

/** Feeds events 10 ms apart starting at t=100 (request sent at t=0). */
function assemble(events: StreamEvent[], format?: LlmFormat) {
  const assembler = new LlmStreamAssembler(0, { format });
  const deltas: LlmDelta[] = [];
  for (const [i, event] of events.entries()) deltas.push(...assembler.push(event, 100 + i * 10));
  return { assembler, deltas };
}

const ev = (data: string, type = "message"): StreamEvent => ({ type, data, lastEventId: "" });

describe("recogniseLlmEvent", () => {
  const cases: Array<[string, StreamEvent, LlmFormat | undefined]> = [
    ["chat chunk", ev('{"object":"chat.completion.chunk","choices":[]}'), "openai-chat"],
    ["chat-like chunk without object", ev('{"choices":[{"index":0,"delta":{}}]}'), "openai-chat"],
    ["[DONE]", ev("[DONE]"), "openai-chat"],
    [
      "responses delta",
      ev('{"type":"response.output_text.delta","delta":"x"}'),
      "openai-responses",
    ],
    ["anthropic start", ev('{"type":"message_start","message":{}}', "message_start"), "anthropic"],
    ["anthropic ping alone", ev('{"type":"ping"}', "ping"), undefined],
    ["azure's opening chunk", ev('{"choices":[],"prompt_filter_results":[]}'), "openai-chat"],
    ["legacy completion", ev('{"object":"text_completion","choices":[]}'), "openai-completions"],
    ["gemini chunk", ev('{"candidates":[{"content":{"parts":[]}}]}'), "gemini"],
    ["gemini block", ev('{"promptFeedback":{"blockReason":"SAFETY"}}'), "gemini"],
    ["cohere delta", ev('{"type":"content-delta","delta":{}}'), "cohere"],
    ["vercel text delta", ev('{"type":"text-delta","id":"t","delta":"x"}'), "vercel-ai"],
    ["vercel start with id", ev('{"type":"start","messageId":"m"}'), "vercel-ai"],
    ["bare start", ev('{"type":"start"}'), undefined],
    ["plain text", ev("hello"), undefined],
    ["other JSON", ev('{"type":"tick","n":1}'), undefined],
    ["JSON array", ev("[1,2]"), undefined],
    ["broken JSON", ev('{"choices":'), undefined],
  ];
  it.each(cases)("%s", (_name, event, format) => {
    expect(recogniseLlmEvent(event)).toBe(format);
  });
});

describe("LlmStreamAssembler on recorded-format fixtures", () => {
  it("OpenAI chat completions: text, tool call, usage, [DONE]", () => {
    const events = fixtureEvents("openai-chat.sse");
    const { assembler, deltas } = assemble(events);
    const summary = assembler.summary()!;
    expect(summary.format).toBe("openai-chat");
    expect(summary.text).toBe("Hello, world!\nSecond line.");
    expect(summary.toolCalls).toEqual([
      { index: 0, name: "get_weather", arguments: '{"city":"Oslo"}' },
    ]);
    expect(summary.usage).toMatchObject({ inputTokens: 21, outputTokens: 9, totalTokens: 30 });
    expect(summary.stopReason).toBe("tool_calls");
    expect(summary.complete).toBe(true);
    expect(deltas.at(-1)).toEqual({ kind: "end" });
    // Chunks with text or tool args: 3 text + 2 args (the empty first content and the empty
    // args of the tool start carry nothing).
    expect(summary.timings).toMatchObject({
      firstTokenMs: 110,
      totalMs: 190,
      chunks: 5,
      chunksPerSecond: 5000 / 80,
      // Usage reports 9 output tokens over the 80 ms from first token to [DONE].
      outputTokensPerSecond: 9000 / 80,
      // Five chunks, four gaps: the empty tool-start chunk between two of them makes one 20 ms.
      gaps: { count: 4, p50Ms: 10, p95Ms: 20, maxMs: 20 },
      stalls: { thresholdMs: 1000, count: 0, list: [] },
    });
  });

  it("OpenAI responses: reasoning apart, text, function call, usage from response.completed", () => {
    const { assembler, deltas } = assemble(fixtureEvents("openai-responses.sse"));
    const summary = assembler.summary()!;
    expect(summary.format).toBe("openai-responses");
    expect(summary.text).toBe("Four is the answer.");
    expect(summary.reasoning).toBe("Weighing the question.");
    expect(summary.toolCalls).toEqual([{ index: 0, name: "lookup", arguments: '{"q":"2+2"}' }]);
    expect(summary.usage).toMatchObject({ inputTokens: 14, outputTokens: 20, totalTokens: 34 });
    expect(summary.stopReason).toBe("completed");
    expect(summary.complete).toBe(true);
    expect(deltas.filter((d) => d.kind === "reasoning")).toHaveLength(2);
    expect(summary.timings.firstTokenMs).toBe(130);
  });

  it("Anthropic messages: thinking apart, text, tool input JSON, merged usage, message_stop", () => {
    const { assembler } = assemble(fixtureEvents("anthropic-messages.sse"));
    const summary = assembler.summary()!;
    expect(summary.format).toBe("anthropic");
    expect(summary.text).toBe("Hi there — ünïcode ok.");
    expect(summary.reasoning).toBe("The user greets me.");
    expect(summary.toolCalls).toEqual([{ index: 0, name: "get_time", arguments: '{"tz": "UTC"}' }]);
    // input from message_start, output from message_delta (cumulative).
    expect(summary.usage).toMatchObject({ inputTokens: 25, outputTokens: 42, totalTokens: 67 });
    expect(summary.usage?.raw).toMatchObject({ cache_read_input_tokens: 0 });
    expect(summary.stopReason).toBe("tool_use");
    expect(summary.complete).toBe(true);
  });

  it("stops assembling after the end marker", () => {
    const events = [
      ...fixtureEvents("anthropic-messages.sse"),
      ev('{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"late"}}'),
    ];
    const { assembler } = assemble(events);
    expect(assembler.text).not.toContain("late");
  });

  it("a stream cut before its end marker is incomplete, timed to the last event", () => {
    const events = fixtureEvents("openai-chat.sse").slice(0, 3);
    const { assembler } = assemble(events);
    expect(assembler.summary()).toMatchObject({
      text: "Hello, world",
      complete: false,
      timings: { firstTokenMs: 110, totalMs: 120, chunks: 2 },
    });
  });

  it("an unrelated stream is never recognised", () => {
    const { assembler, deltas } = assemble([ev("tick 1"), ev('{"n":2}')]);
    expect(assembler.format).toBeUndefined();
    expect(assembler.summary()).toBeUndefined();
    expect(deltas).toEqual([]);
  });

  it("reports provider errors carried in the stream", () => {
    const anthropic = assemble([
      ev('{"type":"message_start","message":{"usage":{"input_tokens":1}}}', "message_start"),
      ev('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}', "error"),
    ]);
    expect(anthropic.assembler.errors).toEqual(["overloaded_error: Overloaded"]);
    const chat = assemble(
      [ev('{"error":{"message":"rate limited","code":"rate_limit"}}')],
      "openai-chat",
    );
    expect(chat.assembler.errors).toEqual(["rate_limit: rate limited"]);
  });

  it("OpenAI-compatible reasoning_content deltas are reasoning, not text", () => {
    const { assembler } = assemble([
      ev(
        '{"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"reasoning_content":"hmm"}}]}',
      ),
      ev('{"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"ok"}}]}'),
    ]);
    expect(assembler.reasoning).toBe("hmm");
    expect(assembler.text).toBe("ok");
  });
});

describe("what the view cannot read never looks like success", () => {
  const chat = (delta: string) =>
    ev(`{"object":"chat.completion.chunk","choices":[{"index":0,"delta":${delta}}]}`);
  const cases: Array<[string, StreamEvent[], string]> = [
    [
      "openai-chat: delta.content of an unknown shape",
      [chat('{"content":{"odd":1}}'), chat('{"content":{"odd":2}}'), ev("[DONE]")],
      "delta.content of an unknown shape",
    ],
    [
      "openai-chat: a content part of an unknown type",
      [chat('{"content":[{"type":"audio_chunk","data":"x"}]}'), ev("[DONE]")],
      "a content part this view does not read: audio_chunk",
    ],
    [
      "openai-chat: a delta field carrying text elsewhere",
      [chat('{"content":"a","thoughts":"hidden"}'), ev("[DONE]")],
      "a delta field this view does not read: thoughts",
    ],
    [
      "openai-responses: an unknown delta event",
      [
        ev('{"type":"response.output_text.delta","delta":"a"}'),
        ev('{"type":"response.new_thing.delta","delta":"b"}'),
      ],
      "events of a type this view does not show: response.new_thing.delta",
    ],
    [
      "anthropic: an unknown block delta",
      [
        ev('{"type":"message_start","message":{}}'),
        ev('{"type":"content_block_delta","index":0,"delta":{"type":"poem_delta","poem":"x"}}'),
      ],
      "a block delta this view does not read: poem_delta",
    ],
    [
      "gemini: a part it cannot show",
      [ev('{"candidates":[{"content":{"parts":[{"inlineData":{"mimeType":"image/png"}}]}}]}')],
      "a part this view does not show: inlineData",
    ],
    [
      "cohere: an unknown event type",
      [ev('{"type":"message-start"}'), ev('{"type":"content-flourish","delta":{}}')],
      "events of a type this view does not read: content-flourish",
    ],
    [
      "vercel-ai: an unknown part type",
      [ev('{"type":"start-step"}'), ev('{"type":"hologram-delta","delta":"x"}')],
      "events of a type this view does not read: hologram-delta",
    ],
  ];
  it.each(cases)("%s: one warning, in the deltas and the summary", (_name, events, warning) => {
    const { assembler, deltas } = assemble(events);
    const warned = deltas.filter((delta) => delta.kind === "warning" && delta.message === warning);
    expect(warned).toHaveLength(1);
    // First; a reply left empty by it is warned about too.
    expect(assembler.summary()?.warnings[0]).toBe(warning);
  });

  it("a reply that ends with nothing in it is complete but warned about", () => {
    const { assembler } = assemble([chat('{"role":"assistant","content":""}'), ev("[DONE]")]);
    expect(assembler.summary()).toMatchObject({
      complete: true,
      text: "",
      warnings: ["the reply ended with nothing in it"],
    });
  });
});

describe("hostile streams", () => {
  const deep = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;

  it("deeply nested usage, error and arguments neither crash nor survive into --json", () => {
    const nested = deep(200_000);
    const { assembler } = assemble([
      ev(
        `{"object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":1,"x":${nested}}}`,
      ),
      ev(`{"error":{"message":"boom","details":${nested}}}`),
      ev("[DONE]"),
    ]);
    const gemini = assemble([
      ev(
        `{"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":{"a":${nested}}}}]}}]}`,
      ),
    ]);
    const text = JSON.stringify([assembler.summary(), gemini.assembler.summary()]);
    expect(text.length).toBeLessThan(5000);
    expect(assembler.summary()?.usage?.inputTokens).toBe(1);
    expect(assembler.errors).toEqual(["boom"]);
    expect(gemini.assembler.warnings).toEqual(["tool call arguments nested too deeply to show"]);
  });

  it("a flood of errors and distinct warnings is kept to a few, the rest counted", () => {
    const events: StreamEvent[] = [];
    for (let i = 0; i < 5000; i++) {
      events.push(ev(`{"type":"error","error":{"type":"e","message":"${i}"}}`));
      events.push(ev(`{"type":"content_block_delta","delta":{"type":"kind${i}"}}`));
    }
    const { assembler } = assemble(events, "anthropic");
    const summary = assembler.summary()!;
    expect(summary.errors).toHaveLength(21);
    expect(summary.errors.at(-1)).toBe("… and 4980 more errors");
    expect(summary.warnings).toHaveLength(21);
    expect(summary.warnings.at(-1)).toBe("… and 4980 more warnings");
  });

  it("a __proto__ key in usage stays data, and long server strings are cut", () => {
    const long = "x".repeat(100_000);
    const { assembler } = assemble([
      ev(
        '{"type":"message_start","message":{"usage":{"__proto__":{"polluted":1},"input_tokens":2}}}',
      ),
      ev(`{"type":"message_delta","delta":{"stop_reason":"${long}"},"usage":{"output_tokens":3}}`),
      ev(`{"type":"error","error":{"type":"t","message":"${long}"}}`),
    ]);
    const summary = assembler.summary()!;
    expect(summary.usage).toMatchObject({ inputTokens: 2, outputTokens: 3 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(summary.stopReason!.length).toBeLessThanOrEqual(201);
    expect(summary.errors[0]!.length).toBeLessThanOrEqual(1001);
  });
});
