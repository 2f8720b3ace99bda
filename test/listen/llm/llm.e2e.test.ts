/**
 * `listen --llm` against plain test servers replaying the recorded-format fixtures in
 * test/fixtures/llm (written for these tests). The servers keep the connection open after the
 * end marker, so listen must stop on the marker itself.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LlmSummary } from "../../../src/listen/llm/assembler.js";
import { runCli } from "../../helpers/cli-process.js";
import { startTestServer, type TestServer } from "../../helpers/http-test-server.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/llm/${name}`, import.meta.url), "utf8");

/** Writes the fixture event by event, 5 ms apart, then leaves the response open. */
function replay(text: string) {
  const blocks = text.split(/(?<=\n\n)/);
  return (_request: unknown, response: import("node:http").ServerResponse) => {
    response.writeHead(200, { "content-type": "text/event-stream" });
    let i = 0;
    const timer = setInterval(() => {
      const block = blocks[i++];
      if (block === undefined) clearInterval(timer);
      else response.write(block);
    }, 5);
    response.on("close", () => clearInterval(timer));
  };
}

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    "/chat": replay(fixture("openai-chat.sse")),
    "/responses": replay(fixture("openai-responses.sse")),
    "/anthropic": replay(fixture("anthropic-messages.sse")),
    "/plain": replay("event: tick\ndata: 1\n\nevent: tick\ndata: 2\n\n"),
    "/plain-long": replay("data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\ndata: 5\n\ndata: 6\n\n"),
  });
});

afterAll(async () => {
  await server.close();
});

describe.concurrent("listen recognises LLM streams", () => {
  it.each([
    [
      "/chat",
      "Hello, world!\nSecond line.",
      "OpenAI chat completions",
      'tool call get_weather: {"city":"Oslo"}',
    ],
    ["/responses", "Four is the answer.", "OpenAI responses", "reasoning: Weighing the question."],
    [
      "/anthropic",
      "Hi there — ünïcode ok.",
      "Anthropic messages",
      "reasoning: The user greets me.",
    ],
  ])(
    "%s: answer on stdout, the rest apart on stderr, stops at the end marker",
    async (route, text, name, apart) => {
      const result = await runCli(["listen", `${server.url}${route}`]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(text);
      expect(result.stderr).toContain(apart);
      expect(result.stderr).toMatch(
        new RegExp(`llm: ${name} · first token [\\d.]+ m?s · total [\\d.]+ m?s · \\d+ chunks`),
      );
      expect(result.stderr).toMatch(/llm: usage: \d+ in, \d+ out, \d+ total tokens/);
    },
  );

  it("--llm --json prints one final object with the text, usage and timings", async () => {
    const result = await runCli(["listen", "--llm", "--json", `${server.url}/anthropic`]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]!) as LlmSummary;
    expect(summary).toMatchObject({
      format: "anthropic",
      text: "Hi there — ünïcode ok.",
      reasoning: "The user greets me.",
      toolCalls: [{ index: 0, name: "get_time", arguments: '{"tz": "UTC"}' }],
      usage: { inputTokens: 25, outputTokens: 42 },
      stopReason: "tool_use",
      complete: true,
    });
    expect(summary.timings.firstTokenMs).toBeGreaterThan(0);
    expect(summary.timings.totalMs).toBeGreaterThanOrEqual(summary.timings.firstTokenMs!);
    expect(summary.timings.chunks).toBe(4);
  });

  it("--json without --llm keeps one line per event", async () => {
    const result = await runCli(["listen", "--json", "-n", "3", `${server.url}/chat`]);
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(events).toHaveLength(3);
    expect(events[1].data).toContain("chat.completion.chunk");
  });

  it("--no-llm shows the chunks as events", async () => {
    const result = await runCli(["listen", "--no-llm", "-n", "2", `${server.url}/anthropic`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("message_start");
    expect(result.stderr).not.toContain("llm:");
  });

  it("--llm gives up after five events of no LLM shape, shows them all, and says so", async () => {
    const result = await runCli([
      "listen",
      "--llm",
      "--json",
      "-n",
      "6",
      `${server.url}/plain-long`,
    ]);
    expect(result.code).toBe(0);
    const data = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line).data);
    expect(data).toEqual(["1", "2", "3", "4", "5", "6"]);
    expect(result.stderr).toContain(
      "--llm: no LLM chunk format recognised in the first 5 events (or 64 KiB); showing events as they are",
    );
    expect(result.stderr.match(/no LLM chunk format recognised/g)).toHaveLength(1);
  });

  it("a stream that is not an LLM stream is shown as usual, and --llm says so", async () => {
    const result = await runCli(["listen", "--llm", "-n", "2", `${server.url}/plain`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("tick");
    expect(result.stderr).toContain("--llm: no LLM chunk format recognised in this stream");
  });
});
