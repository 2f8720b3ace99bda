/**
 * `serve --llm-fake <provider>` round trips, both ends the built binary: the served reply,
 * assembled by `listen --llm`, is the input text exactly, for every provider; the pace set by
 * --llm-fake-ttft / --llm-fake-rate is the pace the client measures; --llm-fake-stall shows up
 * as a stall where it was put; each provider's other answers (non-streaming, errors, Gemini's
 * JSON array) have that provider's shape.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LlmSummary } from "../../../src/listen/llm/assembler.js";
import { LlmStreamAssembler } from "../../../src/listen/llm/assembler.js";
import { tokenizeWordish } from "../../../src/serve/llm-fake/steps.js";
import { EventStreamDecoder } from "../../../src/sse/decoder.js";
import { type CliProcess, runCli, startCli } from "../../helpers/cli-process.js";

const replyText =
  "Fake models help offline work.\nThey stream “tokens” at a steady pace — ünïcode too! 🦊\n";

/** Each provider: its request body, and the format listen names. */
const providers = {
  openai: {
    format: "openai-chat",
    body: {
      model: "test-model",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "Say something." }],
    },
  },
  "openai-responses": {
    format: "openai-responses",
    body: { model: "test-model", stream: true, input: "Say something." },
  },
  anthropic: {
    format: "anthropic",
    body: { model: "test-model", stream: true, messages: [{ role: "user", content: "Hi" }] },
  },
  gemini: {
    format: "gemini",
    body: { contents: [{ role: "user", parts: [{ text: "Say something." }] }] },
  },
  cohere: {
    format: "cohere",
    body: { model: "test-model", stream: true, messages: [{ role: "user", content: "Hi" }] },
  },
  "vercel-ai": {
    format: "vercel-ai",
    body: {
      id: "chat-1",
      messages: [{ id: "m1", role: "user", parts: [{ type: "text", text: "Hi" }] }],
    },
  },
} as const;
type Provider = keyof typeof providers;

const servers = {} as Record<Provider | "paced", { process: CliProcess; url: string }>;

async function startFake(provider: Provider, extra: string[], text = replyText) {
  // The servers live for the whole file, which may take a while on a loaded machine.
  const process = startCli(["serve", "--llm-fake", provider, "--port", "0", "--quiet", ...extra], {
    stdin: text,
    killAfterMs: 120_000,
  });
  const stderr = await process.waitForStderr(/llm-fake: POST (\S+)/);
  return { process, url: /llm-fake: POST (\S+)/.exec(stderr)![1]! };
}

/** The paced server's reply: 40 tokens. */
const pacedText = Array.from({ length: 40 }, (_, i) => ` w${i}`).join("");

beforeAll(async () => {
  await Promise.all(
    (Object.keys(providers) as Provider[]).map(async (provider) => {
      servers[provider] = await startFake(provider, ["--interval", "2", "--llm-fake-ttft", "5ms"]);
    }),
  );
  servers.paced = await startFake(
    "openai",
    ["--llm-fake-ttft", "300ms", "--llm-fake-rate", "50", "--llm-fake-stall", "5:800ms"],
    pacedText,
  );
});

afterAll(async () => {
  for (const { process } of Object.values(servers)) {
    process.kill("SIGTERM");
    expect((await process.exited).code).toBe(0);
  }
});

const post = (url: string, body: unknown) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe.concurrent("listen --llm against serve --llm-fake, per provider", () => {
  it.each(Object.keys(providers) as Provider[])(
    "%s: the reply comes back exactly, in the provider's format",
    async (provider) => {
      const { url } = servers[provider];
      const { format, body } = providers[provider];
      const result = await runCli(["listen", "--llm", "--json", "-d", JSON.stringify(body), url]);
      expect(result.code).toBe(0);
      const summary = JSON.parse(result.stdout) as LlmSummary;
      expect(summary).toMatchObject({
        format,
        text: replyText,
        complete: true,
        warnings: [],
        errors: [],
      });
      expect(summary.timings.chunks).toBe(tokenizeWordish(replyText).length);
      if (provider !== "vercel-ai") {
        expect(summary.usage?.outputTokens).toBe(summary.timings.chunks);
        expect(summary.usage?.inputTokens).toBeGreaterThan(0);
      }
    },
  );

  it.each(Object.keys(providers) as Provider[])(
    "%s: listen recognises it by itself: the reply on stdout, the footer on stderr",
    async (provider) => {
      const result = await runCli([
        "listen",
        "-d",
        JSON.stringify(providers[provider].body),
        servers[provider].url,
      ]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(replyText);
      expect(result.stderr).toMatch(/llm: .* · first token [\d.]+ m?s · total/);
    },
  );

  it("vercel-ai: the UI message stream header useChat looks for, at /api/chat", async () => {
    const response = await post(servers["vercel-ai"].url, providers["vercel-ai"].body);
    expect(new URL(servers["vercel-ai"].url).pathname).toBe("/api/chat");
    expect(response.headers.get("x-vercel-ai-ui-message-stream")).toBe("v1");
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const text = await response.text();
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  it("gemini: any model name in the path; without ?alt=sse a streamed JSON array", async () => {
    const base = new URL(servers.gemini.url).origin;
    const sse = await post(
      `${base}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`,
      providers.gemini.body,
    );
    expect(sse.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    await sse.text();
    const array = await post(
      `${base}/v1beta/models/gemini-2.5-flash:streamGenerateContent`,
      providers.gemini.body,
    );
    expect(array.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const chunks = JSON.parse(await array.text()) as Array<{
      candidates: Array<{ content: { parts: Array<{ text: string }> } }>;
    }>;
    expect(chunks.map((chunk) => chunk.candidates[0]!.content.parts[0]!.text).join("")).toBe(
      replyText,
    );
    const whole = await post(`${base}/v1beta/models/m:generateContent`, providers.gemini.body);
    expect(await whole.json()).toMatchObject({
      candidates: [{ content: { parts: [{ text: replyText }] }, finishReason: "STOP" }],
    });
    expect(
      (await post(`${base}/v1beta/models/m:somethingElse`, providers.gemini.body)).status,
    ).toBe(404);
  });

  it("gemini: listen without ?alt=sse says what to add", async () => {
    const url = servers.gemini.url.replace("?alt=sse", "");
    const result = await runCli(["listen", "-d", JSON.stringify(providers.gemini.body), url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Gemini's streamed JSON array");
    expect(result.stderr).toContain("alt=sse");
  });

  it.each([
    ["openai", { model: "m", messages: [] }, { choices: [{ message: { content: replyText } }] }],
    [
      "openai-responses",
      { model: "m", input: "x" },
      { output_text: replyText, status: "completed" },
    ],
    ["anthropic", { model: "m", messages: [] }, { content: [{ type: "text", text: replyText }] }],
    [
      "cohere",
      { model: "m", messages: [] },
      { finish_reason: "COMPLETE", message: { content: [{ type: "text", text: replyText }] } },
    ],
  ] as const)(
    "%s: a non-streaming request gets one JSON reply",
    async (provider, body, expected) => {
      const response = await post(servers[provider].url, body);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject(expected);
    },
  );

  it.each([
    ["anthropic", { type: "error", error: { type: "invalid_request_error" } }],
    ["openai-responses", { error: { type: "invalid_request_error" } }],
    ["gemini", { error: { code: 400, status: "INVALID_ARGUMENT" } }],
    ["cohere", { message: "messages: an array is required" }],
  ] as const)(
    "%s: a body not in the provider's shape gets its error envelope",
    async (provider, envelope) => {
      const response = await post(servers[provider].url, { nothing: true });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject(envelope);
    },
  );
});

describe("--llm-fake-ttft, --llm-fake-rate and --llm-fake-stall set the pace", () => {
  it("the first token after the ttft, then the rate, with the stall where it was put", async () => {
    const sentAt = performance.now();
    const response = await post(servers.paced.url, providers.openai.body);
    // The head is flushed at once, before the wait: the upper bound counts from it, so a slow
    // first fetch in this process (undici loaded, a connection made) is not counted as the wait.
    const headAt = performance.now() - sentAt;
    const tokenTimes: number[] = [];
    const decoder = new EventStreamDecoder({
      onEvent: (event) => {
        if (event.data.includes('"content":" w')) tokenTimes.push(performance.now() - sentAt);
      },
    });
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
      decoder.feed(chunk);
    expect(tokenTimes).toHaveLength(40);
    // The times are taken in this test's process, which a loaded machine delays now and then,
    // so the checks are of two kinds. Lower bounds from the request: no token can arrive before
    // the server's schedule sends it (300 ms, then one every 20 ms at 50 tokens/s, the 800 ms
    // stall before token 5). Upper bounds from the response head (flushed at once, before the
    // wait), with room for delays: tokens 0-4 come before the stall, and the whole reply does not
    // take much longer than asked (a tenth of the rate, or a stall twice, would).
    expect(tokenTimes[0]).toBeGreaterThanOrEqual(295);
    expect(tokenTimes[4]).toBeGreaterThanOrEqual(295 + 4 * 20);
    expect(tokenTimes[5]).toBeGreaterThanOrEqual(295 + 5 * 20 + 800);
    expect(tokenTimes[39]).toBeGreaterThanOrEqual(295 + 39 * 20 + 800);
    expect(tokenTimes[0]! - headAt).toBeLessThan(300 + 500);
    expect(tokenTimes[4]! - headAt).toBeLessThan(300 + 4 * 20 + 500);
    expect(tokenTimes[39]! - headAt).toBeLessThan(300 + 39 * 20 + 800 + 600);
  });

  it("listen --llm measures the same: ttft, tokens per second, the stall after the fifth token", async () => {
    const result = await runCli([
      "listen",
      "--llm",
      "--json",
      "--llm-stall",
      "500ms",
      "-d",
      JSON.stringify(providers.openai.body),
      servers.paced.url,
    ]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as LlmSummary;
    expect(summary.text).toBe(pacedText);
    expect(summary.timings.firstTokenMs).toBeGreaterThanOrEqual(295);
    expect(summary.timings.stalls.count).toBe(1);
    expect(summary.timings.stalls.list[0]).toMatchObject({
      answerChars: " w0 w1 w2 w3 w4".length,
      before: " w0 w1 w2 w3 w4",
      section: "text",
    });
    // 20 ms gaps (a loaded machine may deliver some tokens together: no lower bound), and 40
    // tokens over 39 gaps plus the 800 ms stall, about 25 tokens/s, with room for delays.
    expect(summary.timings.gaps!.p50Ms).toBeLessThanOrEqual(60);
    expect(summary.timings.outputTokensPerSecond).toBeGreaterThan(12);
    expect(summary.timings.outputTokensPerSecond).toBeLessThan(40);
  });

  it("the pace flags without --llm-fake are a usage error (exit 2)", async () => {
    const result = await runCli(["serve", "--llm-fake-rate", "20", "--port", "0"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("need --llm-fake");
  });

  it.each([
    [["--llm-fake-ttft", "fast"], /expected a duration/],
    [["--llm-fake-rate", "0"], /expected a number greater than 0/],
    [["--llm-fake-stall", "5"], /expected <tokens>:<duration>/],
    [
      ["--llm-fake", "mistral"],
      /Allowed choices are openai, openai-responses, anthropic, gemini, cohere, vercel-ai/,
    ],
  ])("%j is a usage error (exit 2)", async (flags, message) => {
    const result = await runCli([
      "serve",
      ...(flags.includes("--llm-fake") ? [] : ["--llm-fake", "openai"]),
      ...flags,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

describe("in process: the decoder and the assembler read every fake", () => {
  it.each(Object.keys(providers) as Provider[])("%s", async (provider) => {
    const startedAtMs = Date.now();
    const response = await post(servers[provider].url, providers[provider].body);
    const assembler = new LlmStreamAssembler(startedAtMs);
    const decoder = new EventStreamDecoder({
      onEvent: (event) => assembler.push(event, Date.now()),
    });
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
      decoder.feed(chunk);
    expect(assembler.summary()).toMatchObject({ text: replyText, complete: true });
  });

  it.each(Object.keys(providers) as Provider[])(
    "%s: SIGTERM in the middle of an answer finishes it at once, end marker included, then exits 0",
    async (provider) => {
      // 40 tokens at 4 per second: 10 s of answer, far more than the 5 s close bound.
      const fake = await startFake(
        provider,
        ["--llm-fake-rate", "4", "--llm-fake-ttft", "0"],
        pacedText,
      );
      const response = await post(fake.url, providers[provider].body);
      const assembler = new LlmStreamAssembler(Date.now());
      const decoder = new EventStreamDecoder({
        onEvent: (event) => assembler.push(event, Date.now()),
      });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const first = await reader.read();
      decoder.feed(first.value ?? new Uint8Array());
      const signalledAt = performance.now();
      fake.process.kill("SIGTERM");
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        decoder.feed(chunk.value);
      }
      decoder.endStream();
      expect(performance.now() - signalledAt).toBeLessThan(4_000);
      expect(assembler.summary()).toMatchObject({ text: pacedText, complete: true });
      expect((await fake.process.exited).code).toBe(0);
    },
  );

  it("Ctrl-C closes it (exit 0); the event stream and viewer page are served beside the fake API", async () => {
    const cli = startCli(["serve", "--llm-fake", "openai", "--port", "0", "--quiet"], {
      stdin: "hi\n",
    });
    const streamUrl = /serving (\S+)/.exec(await cli.waitForStderr(/serving \S+\n/))![1]!;
    await cli.waitForStderr(/llm-fake: POST/);
    expect((await fetch(new URL("/", streamUrl))).status).toBe(200);
    const stream = await fetch(streamUrl);
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    await stream.body?.cancel();
    cli.kill("SIGINT");
    const result = await cli.exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
  });
});
