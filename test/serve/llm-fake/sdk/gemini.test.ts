/**
 * Google's SDK (`@google/genai`) reads the fake's Gemini API as it reads the real service:
 * text and thought parts, whole function calls, usage metadata, a refusal as finishReason
 * SAFETY; the error chunk mid-stream, a malformed chunk, split JSON, the whole reply and the
 * HTTP errors arrive as the SDK reports them.
 */
import { ApiError, FinishReason, GoogleGenAI } from "@google/genai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningLlmFake, startLlmFake } from "../../../../src/serve/llm-fake/library.js";
import { replies, scripted, testPace, timeArgs, weatherArgs } from "./script.js";

let fake: RunningLlmFake;
let client: GoogleGenAI;

beforeAll(async () => {
  fake = await startLlmFake({ provider: "gemini", replies, pace: testPace });
  client = new GoogleGenAI({
    apiKey: "k",
    httpOptions: { baseUrl: fake.baseURL, retryOptions: { attempts: 1 } },
  });
});
afterAll(() => fake.close());

const request = (kind: string) => ({
  model: "gemini-test",
  contents: [{ role: "user", parts: [{ text: `Please [${kind}]` }] }],
});

async function streamed(kind: string) {
  let text = "";
  let thoughts = "";
  const calls: Array<{ name?: string; args?: unknown }> = [];
  let last: Awaited<ReturnType<typeof client.models.generateContent>> | undefined;
  for await (const chunk of await client.models.generateContentStream(request(kind))) {
    for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
      if (part.thought) thoughts += part.text ?? "";
      else text += part.text ?? "";
      if (part.functionCall)
        calls.push({ name: part.functionCall.name, args: part.functionCall.args });
    }
    last = chunk;
  }
  return { text, thoughts, calls, last: last! };
}

describe.concurrent("@google/genai against the Gemini fake", () => {
  it("text and usage", async () => {
    const { text, last } = await streamed("text");
    expect(text).toBe(scripted.text.text);
    expect(last.candidates?.[0]?.finishReason).toBe(FinishReason.STOP);
    expect(last.usageMetadata).toMatchObject({
      promptTokenCount: 11,
      candidatesTokenCount: 9,
      totalTokenCount: 20,
    });
  });

  it("thought parts before the text", async () => {
    const { text, thoughts } = await streamed("reasoning");
    expect(thoughts).toBe(scripted.reasoning.reasoning);
    expect(text).toBe("Hi there!");
  });

  it("two function calls, each whole", async () => {
    const { calls, text } = await streamed("tools");
    expect(text).toBe("Let me look.");
    expect(calls).toEqual([
      { name: "get_weather", args: weatherArgs },
      { name: "get_time", args: timeArgs },
    ]);
  });

  it("a refusal: finishReason SAFETY", async () => {
    const { text, last } = await streamed("refusal");
    expect(text).toBe(scripted.refusal.refusal);
    expect(last.candidates?.[0]?.finishReason).toBe(FinishReason.SAFETY);
  });

  it("a function response in the request picks the reply that matches it", async () => {
    const response = await client.models.generateContent({
      model: "gemini-test",
      contents: [
        ...request("tools").contents,
        { role: "model", parts: [{ functionCall: { name: "get_weather", args: {} } }] },
        {
          role: "user",
          parts: [{ functionResponse: { name: "get_weather", response: { temp: "12°C" } } }],
        },
      ],
    });
    expect(response.text).toBe("It is 12°C in Oslo.");
  });

  it("the whole reply when not streaming", async () => {
    const response = await client.models.generateContent(request("tools"));
    expect(response.functionCalls?.map((call) => call.name)).toEqual(["get_weather", "get_time"]);
    expect(response.usageMetadata?.candidatesTokenCount).toBe(30);
  });

  it("an error chunk mid-stream: the SDK throws it after the first tokens", async () => {
    let text = "";
    await expect(async () => {
      for await (const chunk of await client.models.generateContentStream(request("broken"))) {
        text += chunk.text ?? "";
      }
    }).rejects.toThrow(/upstream model crashed/);
    expect(text).toBe("Partial answer");
  });

  it("a malformed chunk: the SDK fails to parse it", async () => {
    await expect(streamed("malformed")).rejects.toThrow();
  });

  it("JSON split across chunks arrives whole", async () => {
    const { text } = await streamed("split");
    expect(text).toBe(scripted.split.text);
  });

  it.each([
    ["unauthorized", 401, "UNAUTHENTICATED"],
    ["limited", 429, "RESOURCE_EXHAUSTED"],
    ["crashed", 500, "INTERNAL"],
  ] as const)("HTTP error %s: an ApiError with the status", async (kind, status, name) => {
    const error = await client.models
      .generateContentStream(request(kind))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status });
    expect((error as ApiError).message).toContain(name);
  });
});
