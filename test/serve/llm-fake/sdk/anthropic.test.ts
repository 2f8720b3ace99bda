/**
 * Anthropic's SDK (`@anthropic-ai/sdk`) reads the fake's Messages API as it reads the real
 * service: its stream helper rebuilds the message (thinking, text, tool_use blocks with their
 * input streamed as JSON pieces, the refusal stop reason, usage); the `error` event, a
 * malformed chunk, split JSON, the whole reply and the HTTP errors (529 overloaded too) arrive
 * as the SDK's own errors.
 */
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningLlmFake, startLlmFake } from "../../../../src/serve/llm-fake/library.js";
import { replies, scripted, testPace, timeArgs, weatherArgs } from "./script.js";

let fake: RunningLlmFake;
let client: Anthropic;

beforeAll(async () => {
  fake = await startLlmFake({ provider: "anthropic", replies, pace: testPace });
  client = new Anthropic({ apiKey: "k", baseURL: fake.baseURL, maxRetries: 0, logLevel: "off" });
});
afterAll(() => fake.close());

const ask = (kind: string) => [{ role: "user" as const, content: `Please [${kind}]` }];
const request = (kind: string) => ({ model: "claude-test", max_tokens: 100, messages: ask(kind) });

const streamed = (kind: string) => client.messages.stream(request(kind)).finalMessage();

describe.concurrent("@anthropic-ai/sdk against the Messages fake", () => {
  it("text and usage", async () => {
    const message = await streamed("text");
    expect(message.content).toEqual([{ type: "text", text: scripted.text.text }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toMatchObject({ input_tokens: 11, output_tokens: 9 });
  });

  it("a thinking block before the text", async () => {
    const message = await streamed("reasoning");
    expect(message.content[0]).toMatchObject({
      type: "thinking",
      thinking: scripted.reasoning.reasoning,
    });
    expect(message.content[1]).toMatchObject({ type: "text", text: "Hi there!" });
  });

  it("two tool_use blocks, their input streamed as JSON pieces", async () => {
    const message = await streamed("tools");
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content.slice(1)).toEqual([
      { type: "tool_use", id: "call_weather", name: "get_weather", input: weatherArgs },
      { type: "tool_use", id: "call_time", name: "get_time", input: timeArgs },
    ]);
  });

  it("a refusal: stop_reason refusal", async () => {
    const message = await streamed("refusal");
    expect(message.stop_reason).toBe("refusal");
    expect(message.content[0]).toMatchObject({ type: "text", text: scripted.refusal.refusal });
  });

  it("a tool_result in the request picks the reply that matches it", async () => {
    const message = await client.messages.create({
      model: "claude-test",
      max_tokens: 100,
      messages: [
        ...ask("tools"),
        {
          role: "assistant",
          content: [{ type: "tool_use", id: "t1", name: "get_weather", input: {} }],
        },
        {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "t1", content: "12°C and dry" }],
        },
      ],
    });
    expect(message.content).toEqual([{ type: "text", text: "It is 12°C in Oslo." }]);
  });

  it("the whole reply when not streaming", async () => {
    const message = await client.messages.create(request("tools"));
    expect(message.content.filter((block) => block.type === "tool_use")).toHaveLength(2);
    expect(message.usage.output_tokens).toBe(30);
  });

  it("an error event mid-stream: the SDK throws it after the first tokens", async () => {
    let text = "";
    const stream = client.messages.stream(request("broken")).on("text", (delta) => {
      text += delta;
    });
    await expect(stream.finalMessage()).rejects.toThrow(/upstream model crashed/);
    expect(text).toBe("Partial answer");
  });

  it("a malformed chunk: the SDK fails to parse it", async () => {
    await expect(streamed("malformed")).rejects.toThrow(/JSON/);
  });

  it("JSON split across chunks arrives whole", async () => {
    const message = await streamed("split");
    expect(message.content).toEqual([{ type: "text", text: scripted.split.text }]);
  });

  it.each([
    ["unauthorized", Anthropic.AuthenticationError, 401, "authentication_error"],
    ["limited", Anthropic.RateLimitError, 429, "rate_limit_error"],
    ["crashed", Anthropic.InternalServerError, 500, "api_error"],
    ["overloaded", Anthropic.InternalServerError, 529, "overloaded_error"],
  ] as const)("HTTP error %s: the SDK's %o", async (kind, errorClass, status, type) => {
    const error = await client.messages
      .create({ ...request(kind), stream: true })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ status, error: { type: "error", error: { type } } });
    if (kind === "limited") {
      expect((error as InstanceType<typeof Anthropic.APIError>).headers?.get("retry-after")).toBe(
        "7",
      );
    }
  });
});
