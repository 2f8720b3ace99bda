/**
 * `serve --llm-fake` round trips: the served reply, assembled by `listen --llm` (and, in
 * process, by the decoder and the LLM assembler), is the input text exactly, in both
 * providers' formats.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LlmSummary } from "../../../src/listen/llm/assembler.js";
import { LlmStreamAssembler } from "../../../src/listen/llm/assembler.js";
import { EventStreamDecoder } from "../../../src/sse/decoder.js";
import { type CliProcess, runCli, startCli } from "../../helpers/cli-process.js";

const replyText =
  "Fake models help offline work.\nThey stream “tokens” at a steady pace — ünïcode too! 🦊\n";

const request = JSON.stringify({
  model: "test-model",
  stream: true,
  stream_options: { include_usage: true },
  messages: [{ role: "user", content: "Say something." }],
});

const servers: Record<string, { process: CliProcess; url: string }> = {};

beforeAll(async () => {
  for (const provider of ["openai", "anthropic"]) {
    const process = startCli(
      ["serve", "--llm-fake", provider, "--port", "0", "--interval", "2", "--quiet"],
      { stdin: replyText },
    );
    const stderr = await process.waitForStderr(/llm-fake: POST (\S+)/);
    servers[provider] = { process, url: /llm-fake: POST (\S+)/.exec(stderr)![1]! };
  }
});

afterAll(async () => {
  for (const { process } of Object.values(servers)) {
    process.kill("SIGTERM");
    expect((await process.exited).code).toBe(0);
  }
});

/** POSTs the request and assembles the streamed reply in-process. */
async function streamReply(url: string) {
  const startedAtMs = Date.now();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: request,
  });
  const assembler = new LlmStreamAssembler(startedAtMs);
  const decoder = new EventStreamDecoder({
    onEvent: (event) => assembler.push(event, Date.now()),
  });
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    decoder.feed(chunk);
  }
  return { response, summary: assembler.summary()! };
}

describe.concurrent("serve --llm-fake", () => {
  it.each([
    ["openai", "/v1/chat/completions", "openai-chat"],
    ["anthropic", "/v1/messages", "anthropic"],
  ])(
    "%s: the streamed reply assembles to exactly the input text",
    async (provider, path, format) => {
      const { url } = servers[provider]!;
      expect(url.endsWith(path)).toBe(true);
      const { response, summary } = await streamReply(url);
      expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
      expect(summary).toMatchObject({ format, text: replyText, complete: true });
      expect(summary.usage?.outputTokens).toBe(summary.timings.chunks);
      expect(summary.usage?.inputTokens).toBeGreaterThan(0);
      // Paced: tokens do not all arrive at once.
      expect(summary.timings.totalMs).toBeGreaterThan(summary.timings.firstTokenMs!);
    },
  );

  it.each([
    ["openai", "openai-chat"],
    ["anthropic", "anthropic"],
  ])("%s: listen --llm --json gets exactly the input text back", async (provider, format) => {
    const result = await runCli([
      "listen",
      "--llm",
      "--json",
      "-d",
      request,
      servers[provider]!.url,
    ]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as LlmSummary;
    expect(summary).toMatchObject({ format, text: replyText, complete: true });
    expect(summary.usage?.outputTokens).toBe(summary.timings.chunks);
  });

  it("listen recognises the stream by itself: the reply on stdout, the footer on stderr", async () => {
    const result = await runCli(["listen", "-d", request, servers.anthropic!.url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(replyText);
    expect(result.stderr).toMatch(/llm: Anthropic messages · first token \d+ ms · total/);
    expect(result.stderr).toMatch(/stop: end_turn/);
  });

  it("answers a non-streaming request with one JSON completion", async () => {
    const response = await fetch(servers.openai!.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", messages: [] }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]?.message.content).toBe(replyText);
  });

  it("rejects a body that is not the provider's shape with its error envelope", async () => {
    const response = await fetch(servers.anthropic!.url, { method: "POST", body: "{not json" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error" },
    });
  });

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
