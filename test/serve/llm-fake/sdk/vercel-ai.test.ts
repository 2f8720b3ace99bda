/**
 * The Vercel AI SDK (`ai`) reads the fake's UI message stream as useChat does: its
 * DefaultChatTransport posts to /api/chat and parses the chunks, readUIMessageStream assembles
 * the message (text, reasoning and tool parts with their input, the usage in its metadata);
 * the `error` chunk, a malformed chunk, split JSON and the HTTP errors arrive as it reports
 * them.
 */
import { DefaultChatTransport, readUIMessageStream, type UIMessage } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningLlmFake, startLlmFake } from "../../../../src/serve/llm-fake/library.js";
import { replies, scripted, testPace, timeArgs, weatherArgs } from "./script.js";

let fake: RunningLlmFake;
let transport: DefaultChatTransport<UIMessage>;

beforeAll(async () => {
  fake = await startLlmFake({ provider: "vercel-ai", replies, pace: testPace });
  transport = new DefaultChatTransport({ api: fake.baseURL });
});
afterAll(() => fake.close());

const userMessage = (kind: string): UIMessage => ({
  id: "u1",
  role: "user",
  parts: [{ type: "text", text: `Please [${kind}]` }],
});

async function assembled(kind: string, messages: UIMessage[] = [userMessage(kind)]) {
  const stream = await transport.sendMessages({
    trigger: "submit-message",
    chatId: "chat-1",
    messageId: undefined,
    messages,
    abortSignal: undefined,
  });
  let last: UIMessage | undefined;
  const errors: string[] = [];
  for await (const message of readUIMessageStream({
    stream,
    onError: (error) => errors.push((error as Error).message),
  })) {
    last = message;
  }
  const text = (last?.parts ?? []).map((part) => (part.type === "text" ? part.text : "")).join("");
  return { message: last, text, errors };
}

describe.concurrent("ai (useChat's transport) against the UI message stream fake", () => {
  it("text, and a usage the script gives in the message metadata", async () => {
    const { text, message } = await assembled("text");
    expect(text).toBe(scripted.text.text);
    expect(message?.metadata).toEqual({
      usage: { inputTokens: 11, outputTokens: 9, totalTokens: 20 },
    });
  });

  it("a reasoning part before the text", async () => {
    const { message, text } = await assembled("reasoning");
    expect(message?.parts.find((part) => part.type === "reasoning")).toMatchObject({
      text: scripted.reasoning.reasoning,
    });
    expect(text).toBe("Hi there!");
  });

  it("two tool parts, their input streamed then available", async () => {
    const { message } = await assembled("tools");
    const tools = (message?.parts ?? []).filter((part) => part.type.startsWith("tool-"));
    expect(tools).toEqual([
      expect.objectContaining({
        type: "tool-get_weather",
        toolCallId: "call_weather",
        state: "input-available",
        input: weatherArgs,
      }),
      expect.objectContaining({ type: "tool-get_time", input: timeArgs }),
    ]);
  });

  it("a refusal is text (the protocol has no refusal of its own)", async () => {
    const { text } = await assembled("refusal");
    expect(text).toBe(scripted.refusal.refusal);
  });

  it("a tool output in the request picks the reply that matches it", async () => {
    const { text } = await assembled("tools", [
      userMessage("tools"),
      {
        id: "a1",
        role: "assistant",
        parts: [
          {
            type: "tool-get_weather",
            toolCallId: "c1",
            state: "output-available",
            input: {},
            output: { temperature: "12°C" },
          },
        ],
      },
    ]);
    expect(text).toBe("It is 12°C in Oslo.");
  });

  it("an error chunk mid-stream: reported after the first tokens", async () => {
    const { text, errors } = await assembled("broken");
    expect(text).toBe("Partial answer");
    expect(errors).toEqual(["upstream model crashed"]);
  });

  it("a malformed chunk: the SDK fails to parse it", async () => {
    const { errors } = await assembled("malformed");
    expect(errors.length).toBeGreaterThan(0);
  });

  it("JSON split across chunks arrives whole", async () => {
    const { text, errors } = await assembled("split");
    expect(errors).toEqual([]);
    expect(text).toBe(scripted.split.text);
  });

  it.each([
    ["unauthorized", "bad key"],
    ["limited", "slow down"],
    ["crashed", "boom"],
  ])("HTTP error %s: the transport throws the route's body", async (kind, message) => {
    await expect(assembled(kind)).rejects.toThrow(message);
  });
});
