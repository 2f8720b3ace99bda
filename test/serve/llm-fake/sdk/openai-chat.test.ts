/**
 * The OpenAI SDK (`openai`) reads the fake's Chat Completions as it reads the real service:
 * text, reasoning, parallel tool calls with streamed arguments, usage, a refusal, the error
 * chunk mid-stream, a malformed chunk, split JSON, the whole reply, and each HTTP error as the
 * SDK's own error class (429 with its Retry-After, honoured by the SDK's retry).
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningLlmFake, startLlmFake } from "../../../../src/serve/llm-fake/library.js";
import { replies, scripted, testPace, timeArgs, weatherArgs } from "./script.js";

let fake: RunningLlmFake;
let client: OpenAI;

beforeAll(async () => {
  fake = await startLlmFake({ provider: "openai", replies, pace: testPace });
  client = new OpenAI({ apiKey: "k", baseURL: fake.baseURL, maxRetries: 0, logLevel: "off" });
});
afterAll(() => fake.close());

const ask = (kind: string) => [{ role: "user" as const, content: `Please [${kind}]` }];

async function streamed(kind: string) {
  const stream = client.chat.completions.stream({
    model: "gpt-test",
    messages: ask(kind),
    stream_options: { include_usage: true },
  });
  let reasoning = "";
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta as { reasoning_content?: string } | undefined;
    reasoning += delta?.reasoning_content ?? "";
  }
  return { final: await stream.finalChatCompletion(), reasoning };
}

describe.concurrent("openai SDK against the Chat Completions fake", () => {
  it("text and usage", async () => {
    const { final } = await streamed("text");
    expect(final.choices[0]?.message.content).toBe(scripted.text.text);
    expect(final.choices[0]?.finish_reason).toBe("stop");
    expect(final.usage).toMatchObject({
      prompt_tokens: 11,
      completion_tokens: 9,
      total_tokens: 20,
    });
  });

  it("reasoning beside the content (reasoning_content)", async () => {
    const { final, reasoning } = await streamed("reasoning");
    expect(reasoning).toBe(scripted.reasoning.reasoning);
    expect(final.choices[0]?.message.content).toBe("Hi there!");
  });

  it("two tool calls, arguments streamed in pieces and assembled by the SDK", async () => {
    const { final } = await streamed("tools");
    const message = final.choices[0]!.message;
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    expect(message.content).toBe("Let me look.");
    const calls = (message.tool_calls ?? []).map((call) =>
      call.type === "function"
        ? { id: call.id, name: call.function.name, args: JSON.parse(call.function.arguments) }
        : undefined,
    );
    expect(calls).toEqual([
      { id: "call_weather", name: "get_weather", args: weatherArgs },
      { id: "call_time", name: "get_time", args: timeArgs },
    ]);
  });

  it("a refusal", async () => {
    const { final } = await streamed("refusal");
    expect(final.choices[0]?.message.refusal).toBe(scripted.refusal.refusal);
  });

  it("a tool result in the request picks the reply that matches it", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-test",
      messages: [
        ...ask("tools"),
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "c1", type: "function", function: { name: "get_weather", arguments: "{}" } },
          ],
        },
        { role: "tool", tool_call_id: "c1", content: '{"temperature":"12°C"}' },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe("It is 12°C in Oslo.");
  });

  it("the whole reply when not streaming: tool calls and usage", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-test",
      messages: ask("tools"),
    });
    expect(completion.choices[0]?.message.tool_calls?.length).toBe(2);
    expect(completion.usage?.completion_tokens).toBe(30);
  });

  it("an error mid-stream: the SDK throws it after the first tokens", async () => {
    const stream = await client.chat.completions.create({
      model: "gpt-test",
      messages: ask("broken"),
      stream: true,
    });
    let text = "";
    await expect(async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    }).rejects.toThrow(/upstream model crashed/);
    expect(text).toBe("Partial answer");
  });

  it("a malformed chunk: the SDK fails to parse it", async () => {
    const stream = await client.chat.completions.create({
      model: "gpt-test",
      messages: ask("malformed"),
      stream: true,
    });
    await expect(async () => {
      for await (const _ of stream) {
      }
    }).rejects.toThrow(SyntaxError);
  });

  it("JSON split across chunks arrives whole", async () => {
    const { final } = await streamed("split");
    expect(final.choices[0]?.message.content).toBe(scripted.split.text);
  });

  it.each([
    ["unauthorized", OpenAI.AuthenticationError, 401, "bad key"],
    ["limited", OpenAI.RateLimitError, 429, "slow down"],
    ["crashed", OpenAI.InternalServerError, 500, "boom"],
  ] as const)("HTTP error %s: the SDK's %o", async (kind, errorClass, status, message) => {
    const error = await client.chat.completions
      .create({ model: "gpt-test", messages: ask(kind), stream: true })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ status, message: expect.stringContaining(message) });
    if (kind === "limited") {
      expect((error as InstanceType<typeof OpenAI.APIError>).headers?.get("retry-after")).toBe("7");
    }
  });
});

describe("whole", () => {
  it("a streaming request answered with one JSON body", async () => {
    const json = await startLlmFake({
      provider: "openai",
      replies: [{ text: "All at once.", whole: true }],
    });
    try {
      const sdk = new OpenAI({
        apiKey: "k",
        baseURL: json.baseURL,
        maxRetries: 0,
        logLevel: "off",
      });
      const response = await sdk.chat.completions
        .create({ model: "m", messages: ask("x"), stream: true })
        .asResponse();
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(await response.json()).toMatchObject({
        object: "chat.completion",
        choices: [{ message: { content: "All at once." } }],
      });
    } finally {
      await json.close();
    }
  });
});

describe("retries", () => {
  it("a 429 with Retry-After, then the reply: the SDK waits as told and gets the reply", async () => {
    const retrying = await startLlmFake({
      provider: "openai",
      pace: testPace,
      replies: [
        { httpError: { status: 429, retryAfterSeconds: 0 } },
        { text: "Second time lucky." },
      ],
    });
    try {
      const sdk = new OpenAI({ apiKey: "k", baseURL: retrying.baseURL, maxRetries: 1 });
      const completion = await sdk.chat.completions.create({ model: "m", messages: ask("x") });
      expect(completion.choices[0]?.message.content).toBe("Second time lucky.");
    } finally {
      await retrying.close();
    }
  });
});
