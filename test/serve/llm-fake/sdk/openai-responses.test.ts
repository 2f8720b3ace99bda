/**
 * The OpenAI SDK (`openai`) reads the fake's Responses API as it reads the real service: its
 * stream helper rebuilds the response from the events (text, reasoning summary, refusal,
 * function calls with streamed arguments, usage); the `error` event (thrown), a malformed chunk,
 * split JSON, the whole reply and the HTTP errors arrive as the SDK reports them.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningLlmFake, startLlmFake } from "../../../../src/serve/llm-fake/library.js";
import { replies, scripted, testPace, timeArgs, weatherArgs } from "./script.js";

let fake: RunningLlmFake;
let client: OpenAI;

beforeAll(async () => {
  fake = await startLlmFake({ provider: "openai-responses", replies, pace: testPace });
  client = new OpenAI({ apiKey: "k", baseURL: fake.baseURL, maxRetries: 0, logLevel: "off" });
});
afterAll(() => fake.close());

const ask = (kind: string) => `Please [${kind}]`;

async function streamed(kind: string) {
  const stream = client.responses.stream({ model: "gpt-test", input: ask(kind) });
  const types: string[] = [];
  for await (const event of stream) types.push(event.type);
  return { final: await stream.finalResponse(), types };
}

describe.concurrent("openai SDK against the Responses fake", () => {
  it("text and usage", async () => {
    const { final } = await streamed("text");
    expect(final.output_text).toBe(scripted.text.text);
    expect(final.status).toBe("completed");
    expect(final.usage).toMatchObject({ input_tokens: 11, output_tokens: 9, total_tokens: 20 });
  });

  it("a reasoning summary before the message", async () => {
    const { final } = await streamed("reasoning");
    const reasoning = final.output.find((item) => item.type === "reasoning");
    expect(reasoning?.type === "reasoning" && reasoning.summary[0]?.text).toBe(
      scripted.reasoning.reasoning,
    );
    expect(final.output_text).toBe("Hi there!");
  });

  it("two function calls, their arguments streamed", async () => {
    const { final, types } = await streamed("tools");
    expect(types).toContain("response.function_call_arguments.delta");
    const calls = final.output.flatMap((item) =>
      item.type === "function_call"
        ? [{ id: item.call_id, name: item.name, args: JSON.parse(item.arguments) }]
        : [],
    );
    expect(calls).toEqual([
      { id: "call_weather", name: "get_weather", args: weatherArgs },
      { id: "call_time", name: "get_time", args: timeArgs },
    ]);
    expect(final.output_text).toBe("Let me look.");
  });

  it("a refusal part", async () => {
    const { final } = await streamed("refusal");
    const message = final.output.find((item) => item.type === "message");
    const part = message?.type === "message" ? message.content[0] : undefined;
    expect(part).toMatchObject({ type: "refusal", refusal: scripted.refusal.refusal });
  });

  it("a function call output in the request picks the reply that matches it", async () => {
    const response = await client.responses.create({
      model: "gpt-test",
      input: [
        { role: "user", content: ask("tools") },
        { type: "function_call_output", call_id: "c1", output: '{"temperature":"12°C"}' },
      ],
    });
    expect(response.output_text).toBe("It is 12°C in Oslo.");
  });

  it("the whole reply when not streaming", async () => {
    const response = await client.responses.create({ model: "gpt-test", input: ask("tools") });
    expect(response.output.filter((item) => item.type === "function_call")).toHaveLength(2);
    expect(response.usage?.output_tokens).toBe(30);
  });

  it("an error event mid-stream: the SDK throws it after the first tokens", async () => {
    const stream = await client.responses.create({
      model: "gpt-test",
      input: ask("broken"),
      stream: true,
    });
    let text = "";
    await expect(async () => {
      for await (const event of stream) {
        if (event.type === "response.output_text.delta") text += event.delta;
      }
    }).rejects.toThrow(/upstream model crashed/);
    expect(text).toBe("Partial answer");
  });

  it("a malformed chunk: the SDK fails to parse it", async () => {
    const stream = await client.responses.create({
      model: "gpt-test",
      input: ask("malformed"),
      stream: true,
    });
    await expect(async () => {
      for await (const _ of stream) {
      }
    }).rejects.toThrow(SyntaxError);
  });

  it("JSON split across chunks arrives whole", async () => {
    const { final } = await streamed("split");
    expect(final.output_text).toBe(scripted.split.text);
  });

  it.each([
    ["unauthorized", OpenAI.AuthenticationError, 401],
    ["limited", OpenAI.RateLimitError, 429],
    ["crashed", OpenAI.InternalServerError, 500],
  ] as const)("HTTP error %s: the SDK's %o", async (kind, errorClass, status) => {
    const error = await client.responses
      .create({ model: "gpt-test", input: ask(kind), stream: true })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ status });
  });
});
