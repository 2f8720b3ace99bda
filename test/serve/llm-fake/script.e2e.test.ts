/**
 * `serve --llm-fake <provider> --script <file>` (the built binary): the replies of
 * examples/replies.json chosen by what each request says, at the script's pace; a script with
 * mistakes is refused with one line per mistake (exit 2). And split JSON really is split: the
 * client reads chunks that end inside an event.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LlmSummary } from "../../../src/listen/llm/assembler.js";
import { startLlmFake } from "../../../src/serve/llm-fake/library.js";
import { type CliProcess, runCli, startCli } from "../../helpers/cli-process.js";

let fake: CliProcess;
let url: string;

beforeAll(async () => {
  fake = startCli(
    ["serve", "--llm-fake", "anthropic", "--script", "examples/replies.json", "--port", "0", "-q"],
    { killAfterMs: 60_000 },
  );
  const stderr = await fake.waitForStderr(/llm-fake: POST (\S+)/);
  url = /llm-fake: POST (\S+)/.exec(stderr)![1]!;
});

afterAll(async () => {
  fake.kill("SIGTERM");
  expect((await fake.exited).code).toBe(0);
});

async function listen(messages: unknown[]) {
  const body = { model: "claude-test", max_tokens: 100, stream: true, messages };
  const result = await runCli(["listen", "--llm", "--json", "-d", JSON.stringify(body), url]);
  return { ...result, summary: JSON.parse(result.stdout || "null") as LlmSummary | null };
}

describe.concurrent("serve --llm-fake --script examples/replies.json", () => {
  it("a match on the last user message: the tool call, at the script's time to first token", async () => {
    const { summary, code } = await listen([{ role: "user", content: "What's the weather?" }]);
    expect(code).toBe(0);
    expect(summary?.text).toBe("Let me check.");
    expect(summary?.toolCalls).toEqual([
      { index: 0, name: "get_weather", arguments: '{"city":"Oslo"}' },
    ]);
    // "ttftMs": 300 in the script: no token can come earlier.
    expect(summary?.timings.firstTokenMs).toBeGreaterThanOrEqual(295);
  });

  it("a match on the tool result that follows", async () => {
    const { summary } = await listen([
      { role: "user", content: "What's the weather?" },
      {
        role: "assistant",
        content: [{ type: "tool_use", id: "t1", name: "get_weather", input: {} }],
      },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "12°C" }] },
    ]);
    expect(summary?.text).toBe("It is 12°C and sunny in Oslo.");
  });

  it("reasoning, and an HTTP 429 with Retry-After", async () => {
    const { summary } = await listen([{ role: "user", content: "think" }]);
    expect(summary).toMatchObject({ reasoning: "Two plus two is four.", text: "4" });
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "busy" }] }),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("2");
    expect(await response.json()).toEqual({
      type: "error",
      error: { type: "rate_limit_error", message: "Rate limit reached. Please try again later." },
    });
  });
});

describe("docs/llm.md", () => {
  it("shows examples/replies.json as it is", () => {
    const read = (path: string) =>
      readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8");
    const docs = read("docs/llm.md");
    const shown = /\(\.\.\/examples\/replies\.json\)[\s\S]*?```json\n([\s\S]*?)```/.exec(docs);
    expect(JSON.parse(shown![1]!)).toEqual(JSON.parse(read("examples/replies.json")));
  });
});

describe("a script with mistakes", () => {
  const dir = mkdtempSync(join(tmpdir(), "llm-fake-script-"));

  it("one line per mistake on stderr, exit 2, nothing served", async () => {
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ replies: [{ txt: "x" }, { toolCalls: [{}] }] }));
    const result = await runCli(["serve", "--llm-fake", "openai", "--script", file, "--port", "0"]);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split("\n")).toEqual([
      `sse-tool: ${file}: replies[0].txt: unknown field (known: match, reasoning, text, refusal, toolCalls, usage, error, httpError, malformed, splitJson, whole, pace)`,
      `sse-tool: ${file}: replies[1].toolCalls[0].name: a string is required`,
    ]);
  });

  it("not JSON: one line, exit 2", async () => {
    const file = join(dir, "broken.json");
    writeFileSync(file, '{"replies": [');
    const result = await runCli(["serve", "--llm-fake", "openai", "--script", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^sse-tool: ${file}: not JSON: .+\\n$`));
  });

  it("nested too deep: refused before it is parsed; a key with control characters escaped", async () => {
    const deep = join(dir, "deep.json");
    writeFileSync(deep, `${"[".repeat(100_000)}${"]".repeat(100_000)}`);
    const result = await runCli(["serve", "--llm-fake", "openai", "--script", deep]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`sse-tool: ${deep}: nested deeper than 256 levels\n`);
    const hostile = join(dir, "hostile.json");
    writeFileSync(hostile, JSON.stringify({ replies: [{ "\u001b[2Jx": 1 }] }));
    const escaped = await runCli(["serve", "--llm-fake", "openai", "--script", hostile]);
    expect(escaped.code).toBe(2);
    expect(escaped.stderr).not.toContain("\u001b");
    expect(escaped.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("--script with an input file, or without --llm-fake, is a usage error", async () => {
    const both = await runCli(["serve", "--llm-fake", "openai", "--script", "x.json", "reply.txt"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("no input file with it");
    const alone = await runCli(["serve", "--script", "examples/replies.json"]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain("need --llm-fake");
  });
});

describe("a reply's own pace", () => {
  it("listen --llm measures it: the time to first token, and the stall where the script put it", async () => {
    const paced = await startLlmFake({
      provider: "openai",
      pace: { ttftMs: 0, tokensPerSecond: 1000 },
      replies: [
        {
          text: " a b c d e f g h",
          pace: { ttftMs: 250, tokensPerSecond: 50, stalls: [{ afterTokens: 3, ms: 700 }] },
        },
      ],
    });
    try {
      const body = { model: "m", stream: true, messages: [] };
      const result = await runCli([
        ...["listen", "--llm", "--json", "--llm-stall", "400ms", "-d", JSON.stringify(body)],
        `${paced.baseURL}/chat/completions`,
      ]);
      const summary = JSON.parse(result.stdout) as LlmSummary;
      expect(summary.text).toBe(" a b c d e f g h");
      expect(summary.timings.firstTokenMs).toBeGreaterThanOrEqual(245);
      expect(summary.timings.stalls.count).toBe(1);
      expect(summary.timings.stalls.list[0]).toMatchObject({
        before: " a b c",
        gapMs: expect.any(Number),
      });
      // 720 ms by the server's schedule; a token delivered late on a loaded machine shortens it.
      expect(summary.timings.stalls.list[0]!.gapMs).toBeGreaterThanOrEqual(600);
      expect(summary.timings.totalMs).toBeGreaterThanOrEqual(250 + 7 * 20 + 700 - 5);
    } finally {
      await paced.close();
    }
  });
});

describe("splitJson", () => {
  it("the client reads chunks that end inside an event's JSON", async () => {
    const split = await startLlmFake({
      provider: "openai",
      pace: { ttftMs: 0, tokensPerSecond: 1000 },
      replies: [{ text: "one two three", splitJson: true }],
    });
    try {
      const response = await fetch(`${split.baseURL}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "m", stream: true, messages: [] }),
      });
      const chunks: string[] = [];
      const decoder = new TextDecoder();
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        chunks.push(decoder.decode(chunk, { stream: true }));
      }
      expect(chunks.join("")).toContain('"content":" three"');
      const cutInside = chunks.filter((chunk) => !chunk.endsWith("\n\n"));
      expect(cutInside.length).toBeGreaterThan(0);
    } finally {
      await split.close();
    }
  });
});
