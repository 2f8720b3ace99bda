import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type LlmDelta,
  type LlmFormat,
  LlmStreamAssembler,
  recogniseLlmEvent,
} from "../../../src/listen/llm/assembler.js";
import { EventStreamDecoder, type StreamEvent } from "../../../src/sse/decoder.js";

function fixtureEvents(name: string): StreamEvent[] {
  const events: StreamEvent[] = [];
  const decoder = new EventStreamDecoder({ onEvent: (event) => events.push(event) });
  decoder.feed(readFileSync(new URL(`../../fixtures/llm/${name}`, import.meta.url)));
  decoder.endStream();
  return events;
}

/** Feeds events 10 ms apart starting at t=100 (request sent at t=0). */
function assemble(events: StreamEvent[], format?: LlmFormat) {
  const assembler = new LlmStreamAssembler(0, format);
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
    expect(summary.timings).toEqual({
      firstTokenMs: 110,
      totalMs: 190,
      chunks: 5,
      chunksPerSecond: 5000 / 80,
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
