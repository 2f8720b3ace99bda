/**
 * Cohere's SDK (`cohere-ai`, its v2 client) reads the fake's chat v2 API as it reads the real
 * service: text and thinking content, tool calls with streamed arguments, the finish reason
 * and usage; a failed generation's `message-end`, a malformed chunk, split JSON, the whole
 * reply and the HTTP errors arrive as the SDK reports them.
 */
import { Cohere, CohereClientV2 } from "cohere-ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningLlmFake, startLlmFake } from "../../../../src/serve/llm-fake/library.js";
import { replies, scripted, testPace, timeArgs, weatherArgs } from "./script.js";

let fake: RunningLlmFake;
let client: CohereClientV2;

beforeAll(async () => {
  fake = await startLlmFake({ provider: "cohere", replies, pace: testPace });
  client = new CohereClientV2({ token: "k", baseUrl: fake.baseURL, maxRetries: 0 });
});
afterAll(() => fake.close());

const request = (kind: string) => ({
  model: "command-test",
  messages: [{ role: "user" as const, content: `Please [${kind}]` }],
});

async function streamed(kind: string) {
  let text = "";
  let thinking = "";
  const calls = new Map<number, { name: string; args: string }>();
  let end: Cohere.ChatMessageEndEventDelta | undefined;
  for await (const event of await client.chatStream(request(kind))) {
    if (event.type === "content-delta") {
      text += event.delta?.message?.content?.text ?? "";
      thinking += event.delta?.message?.content?.thinking ?? "";
    } else if (event.type === "tool-call-start") {
      const call = event.delta?.message?.toolCalls;
      calls.set(event.index ?? 0, { name: call?.function?.name ?? "", args: "" });
    } else if (event.type === "tool-call-delta") {
      const call = calls.get(event.index ?? 0)!;
      call.args += event.delta?.message?.toolCalls?.function?.arguments ?? "";
    } else if (event.type === "message-end") {
      end = event.delta;
    }
  }
  const toolCalls = [...calls.values()].map((call) => ({
    name: call.name,
    args: JSON.parse(call.args),
  }));
  return { text, thinking, toolCalls, end };
}

describe.concurrent("cohere-ai (v2) against the Cohere fake", () => {
  it("text and usage", async () => {
    const { text, end } = await streamed("text");
    expect(text).toBe(scripted.text.text);
    expect(end?.finishReason).toBe("COMPLETE");
    expect(end?.usage?.tokens).toEqual({ inputTokens: 11, outputTokens: 9 });
    expect(end?.usage?.billedUnits).toEqual({ inputTokens: 11, outputTokens: 9 });
  });

  it("thinking content before the text", async () => {
    const { text, thinking } = await streamed("reasoning");
    expect(thinking).toBe(scripted.reasoning.reasoning);
    expect(text).toBe("Hi there!");
  });

  it("two tool calls, their arguments streamed", async () => {
    const { toolCalls, end } = await streamed("tools");
    expect(end?.finishReason).toBe("TOOL_CALL");
    expect(toolCalls).toEqual([
      { name: "get_weather", args: weatherArgs },
      { name: "get_time", args: timeArgs },
    ]);
  });

  it("a refusal is text (Cohere has no refusal field)", async () => {
    const { text, end } = await streamed("refusal");
    expect(text).toBe(scripted.refusal.refusal);
    expect(end?.finishReason).toBe("COMPLETE");
  });

  it("a tool message in the request picks the reply that matches it", async () => {
    const response = await client.chat({
      model: "command-test",
      messages: [
        ...request("tools").messages,
        { role: "tool", toolCallId: "c1", content: "12°C, light wind" },
      ],
    });
    expect(response.message.content?.[0]).toMatchObject({
      type: "text",
      text: "It is 12°C in Oslo.",
    });
  });

  it("the whole reply when not streaming", async () => {
    const response = await client.chat(request("tools"));
    expect(response.finishReason).toBe("TOOL_CALL");
    expect(response.message.toolCalls?.map((call) => call.function?.name)).toEqual([
      "get_weather",
      "get_time",
    ]);
    expect(response.usage?.tokens?.outputTokens).toBe(30);
  });

  it("a generation that fails mid-stream: message-end with ERROR and its error", async () => {
    const { text, end } = await streamed("broken");
    expect(text).toBe("Partial answer");
    expect(end).toMatchObject({ finishReason: "ERROR", error: "upstream model crashed" });
  });

  it("a malformed chunk: the SDK fails to parse it", async () => {
    await expect(streamed("malformed")).rejects.toThrow();
  });

  it("JSON split across chunks arrives whole", async () => {
    const { text } = await streamed("split");
    expect(text).toBe(scripted.split.text);
  });

  it.each([
    ["unauthorized", Cohere.UnauthorizedError, 401],
    ["limited", Cohere.TooManyRequestsError, 429],
    ["crashed", Cohere.InternalServerError, 500],
  ] as const)("HTTP error %s: the SDK's %o", async (kind, errorClass, status) => {
    const error = await client.chatStream(request(kind)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ statusCode: status, body: { message: expect.any(String) } });
  });
});
