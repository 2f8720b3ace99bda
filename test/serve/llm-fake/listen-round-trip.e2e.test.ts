/**
 * `listen --llm --json` (the built binary) reads every scripted reply kind back from every
 * provider's fake with the text, reasoning, tool calls, usage, refusal and errors the script
 * gave: the same replies the providers' SDKs read in sdk/.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LlmSummary } from "../../../src/listen/llm/assembler.js";
import { type RunningLlmFake, startLlmFake } from "../../../src/serve/llm-fake/library.js";
import { llmFakeProviders } from "../../../src/serve/llm-fake/providers.js";
import { runCli } from "../../helpers/cli-process.js";
import { providerRequest } from "./sdk/requests.js";
import { replies, scripted, testPace, timeArgs, weatherArgs } from "./sdk/script.js";

const fakes = new Map<string, RunningLlmFake>();

beforeAll(async () => {
  for (const provider of llmFakeProviders) {
    fakes.set(provider, await startLlmFake({ provider, replies, pace: testPace }));
  }
});
afterAll(async () => {
  for (const fake of fakes.values()) await fake.close();
});

async function listen(provider: (typeof llmFakeProviders)[number], kind: string) {
  const { url, body } = providerRequest(provider, fakes.get(provider)!.origin, `Please [${kind}]`);
  const result = await runCli(["listen", "--llm", "--json", "-d", JSON.stringify(body), url]);
  return { ...result, summary: JSON.parse(result.stdout || "null") as LlmSummary | null };
}

/** How each provider carries a refusal (docs/llm.md). */
const refusalSeen: Record<string, Partial<LlmSummary>> = {
  openai: { refusal: scripted.refusal.refusal, text: "" },
  "openai-responses": { refusal: scripted.refusal.refusal, text: "" },
  anthropic: { text: scripted.refusal.refusal, stopReason: "refusal" },
  gemini: { text: scripted.refusal.refusal, blocked: "SAFETY" },
  cohere: { text: scripted.refusal.refusal },
  "vercel-ai": { text: scripted.refusal.refusal },
};

describe.concurrent.each(llmFakeProviders)("listen --llm reads the %s fake back", (provider) => {
  it("text and usage", async () => {
    const { summary, code } = await listen(provider, "text");
    expect(code).toBe(0);
    expect(summary).toMatchObject({
      text: scripted.text.text,
      complete: true,
      errors: [],
      warnings: [],
      usage: { inputTokens: 11, outputTokens: 9 },
    });
  });

  it("reasoning, then text", async () => {
    const { summary } = await listen(provider, "reasoning");
    expect(summary).toMatchObject({ reasoning: scripted.reasoning.reasoning, text: "Hi there!" });
    expect(summary?.warnings).toEqual([]);
  });

  it("two tool calls with their arguments", async () => {
    const { summary } = await listen(provider, "tools");
    expect(summary?.text).toBe("Let me look.");
    expect(
      summary?.toolCalls.map((call) => ({ name: call.name, args: JSON.parse(call.arguments) })),
    ).toEqual([
      { name: "get_weather", args: weatherArgs },
      { name: "get_time", args: timeArgs },
    ]);
    expect(summary?.usage).toMatchObject({ inputTokens: 20, outputTokens: 30 });
  });

  it("a refusal, in the provider's way", async () => {
    const { summary } = await listen(provider, "refusal");
    expect(summary).toMatchObject(refusalSeen[provider]!);
  });

  it("an error mid-stream, after the first tokens", async () => {
    const { summary } = await listen(provider, "broken");
    expect(summary?.text).toBe("Partial answer");
    expect(summary?.errors.join(" ")).toContain("upstream model crashed");
  });

  it("a malformed chunk is reported", async () => {
    const { summary } = await listen(provider, "malformed");
    expect(summary?.warnings.length).toBeGreaterThan(0);
  });

  it("JSON split across chunks: the text exactly", async () => {
    const { summary } = await listen(provider, "split");
    expect(summary).toMatchObject({ text: scripted.split.text, warnings: [], errors: [] });
  });

  it("an HTTP 429: listen says so and fails", async () => {
    const { code, stderr } = await listen(provider, "limited");
    expect(code).not.toBe(0);
    expect(stderr).toContain("429");
  });
});
