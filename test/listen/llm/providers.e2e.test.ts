/**
 * `listen` (the built binary, spawned) against plain servers replaying each provider's fixture:
 * the automatic choice in pretty mode gives the answer alone on stdout and names the format in
 * the footer; refusals, blocks, errors mid-stream, warnings and stalls reach stderr; a stream
 * whose first events decide nothing is held back, then replayed or shown in order; Gemini's
 * JSON array (no ?alt=sse) gets a hint.
 */
import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../../../src/errors.js";
import type { LlmSummary } from "../../../src/listen/llm/assembler.js";
import { runCli } from "../../helpers/cli-process.js";
import { startTestServer, type TestServer } from "../../helpers/http-test-server.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/llm/${name}`, import.meta.url), "utf8");

interface ReplayOptions {
  /** End the response after the last event (else it stays open: listen must stop on the marker). */
  end?: boolean;
  /** Pause before the event with this index (0-based), in ms. */
  pauseBefore?: { index: number; ms: number };
  contentType?: string;
}

/** Writes the text event by event, 3 ms apart (plus an optional pause). */
function replay(text: string, options: ReplayOptions = {}) {
  const blocks = text.split(/(?<=\n\n)/);
  return (_request: unknown, response: ServerResponse) => {
    response.writeHead(200, { "content-type": options.contentType ?? "text/event-stream" });
    let i = 0;
    let timer: NodeJS.Timeout | undefined;
    const next = () => {
      const block = blocks[i];
      if (block === undefined) {
        if (options.end) response.end();
        return;
      }
      response.write(block);
      i++;
      const pause = options.pauseBefore?.index === i ? options.pauseBefore.ms : 0;
      timer = setTimeout(next, 3 + pause);
    };
    next();
    response.on("close", () => clearTimeout(timer));
  };
}

let server: TestServer;

const providers: Array<[string, string, string, string]> = [
  ["/compatible", "openai-compatible.sse", "Let me check Oslo.", "OpenAI chat completions"],
  ["/azure", "azure-openai.sse", "Azure says hi.", "OpenAI chat completions"],
  ["/mistral", "mistral.sse", "The answer is 4.", "OpenAI chat completions"],
  ["/groq", "groq.sse", "Hi!", "OpenAI chat completions"],
  [
    "/completions",
    "openai-completions.sse",
    "\n\nOnce upon a time.",
    "OpenAI completions (legacy)",
  ],
  ["/responses", "openai-responses.sse", "Four is the answer.", "OpenAI responses"],
  ["/anthropic", "anthropic-messages.sse", "Hi there — ünïcode ok.", "Anthropic messages"],
  ["/gemini", "gemini.sse", "It is sunny in Oslo.", "Google Gemini"],
  ["/cohere", "cohere.sse", "It is 12°C.", "Cohere chat v2"],
  ["/vercel", "vercel-ai.sse", "It is 12 degrees.", "Vercel AI SDK UI message stream"],
];

beforeAll(async () => {
  const routes: Record<string, ReturnType<typeof replay>> = {};
  for (const [path, name] of providers) routes[path] = replay(fixture(name));
  Object.assign(routes, {
    "/refusal": replay(fixture("openai-chat-refusal.sse")),
    "/blocked": replay(fixture("gemini-blocked.sse")),
    "/cohere-error": replay(fixture("cohere-error.sse")),
    "/gemini-error": replay(fixture("gemini-error.sse"), { end: true }),
    "/vercel-error": replay(fixture("vercel-ai-error.sse"), { end: true }),
    // Azure-style: what opens the stream says nothing yet (a usage-less empty chunk, pings).
    "/undecided-first": replay(
      `data: {"choices":[]}\n\nevent: ping\ndata: {"type":"ping"}\n\n${fixture("openai-chat.sse")}`,
    ),
    // Not an LLM stream, but it opens with events that could be one: shown, all, in order.
    "/undecided-then-plain": replay(
      'event: ping\ndata: {"type":"ping"}\n\ndata: {"choices":[]}\n\ndata: tick 1\n\ndata: tick 2\n\n',
      { end: true },
    ),
    "/stall": replay(fixture("anthropic-messages.sse"), { pauseBefore: { index: 8, ms: 1500 } }),
    "/unknown-part": replay(
      `${[1, 2]
        .map(
          (n) =>
            `data: {"candidates":[{"content":{"parts":[{"text":"p${n} "},{"inlineData":{"mimeType":"image/png","data":"AA=="}}]},"index":0}]}\n\n`,
        )
        .join(
          "",
        )}data: {"candidates":[{"content":{"parts":[{"text":"end"}]},"finishReason":"STOP","index":0}]}\n\n`,
    ),
    "/v1beta/models/gemini-test:streamGenerateContent": replay(
      '[{"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"index":0}]}\n]',
      { end: true, contentType: "application/json; charset=UTF-8" },
    ),
  });
  server = await startTestServer(routes);
});

afterAll(async () => {
  await server.close();
});

describe.concurrent("the automatic choice in pretty mode, per provider", () => {
  it.each(providers)(
    "%s: the answer alone on stdout, the format named in the footer",
    async (path, _f, text, name) => {
      const result = await runCli(["listen", `${server.url}${path}`]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(text);
      expect(result.stderr).toContain(`llm: ${name} · first token `);
      expect(result.stderr).not.toContain("warning");
    },
  );

  it("Azure with --llm: the LLM view, never raw events", async () => {
    const result = await runCli(["listen", "--llm", `${server.url}/azure`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("Azure says hi.");
    expect(result.stderr).not.toContain("showing events as they are");
  });

  it("undecided opening events are held, then replayed into the LLM view", async () => {
    for (const flags of [[], ["--llm"]]) {
      const result = await runCli(["listen", ...flags, `${server.url}/undecided-first`]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe("Hello, world!\nSecond line.");
      expect(result.stderr).toMatch(/llm: OpenAI chat completions/);
    }
  });

  it("a stream that turns out not to be one shows every held event, in order", async () => {
    const result = await runCli([
      "listen",
      "--no-reconnect",
      "--no-color",
      `${server.url}/undecided-then-plain`,
    ]);
    expect(result.code).toBe(0);
    // The pretty view lays JSON out with spaces; the markers are enough to check the order.
    const order = ['"ping"', '"choices"', "tick 1", "tick 2"].map((data) =>
      result.stdout.indexOf(data),
    );
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(result.stderr).not.toContain("llm:");
  });

  it("--json --llm on a stream that is not one: held events come out as JSON lines", async () => {
    const result = await runCli([
      "listen",
      "--llm",
      "--json",
      "--no-reconnect",
      `${server.url}/undecided-then-plain`,
    ]);
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.data)).toEqual([
      '{"type":"ping"}',
      '{"choices":[]}',
      "tick 1",
      "tick 2",
    ]);
    expect(result.stderr).toContain("--llm: no LLM chunk format recognised in this stream");
  });
});

describe.concurrent("what is not a plain answer reaches stderr", () => {
  it("a chat completions refusal is shown as a refusal, and --json carries it", async () => {
    const pretty = await runCli(["listen", `${server.url}/refusal`]);
    expect(pretty.code).toBe(0);
    expect(pretty.stdout).toBe("");
    expect(pretty.stderr).toContain("refusal: I'm sorry, I can't help with that.");
    expect(pretty.stderr).toContain("llm: the model refused");
    const json = await runCli(["listen", "--llm", "--json", `${server.url}/refusal`]);
    const summary = JSON.parse(json.stdout) as LlmSummary;
    expect(summary).toMatchObject({ refusal: "I'm sorry, I can't help with that.", text: "" });
    expect(summary.timings.chunks).toBe(2);
  });

  it("a Gemini prompt block is shown as a block", async () => {
    const result = await runCli(["listen", `${server.url}/blocked`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("llm: blocked by the provider: SAFETY");
  });

  it.each([
    ["/cohere-error", "Partial", "provider error: internal server error, please retry"],
    ["/gemini-error", "Partial", "provider error: UNAVAILABLE: The model is overloaded."],
    ["/vercel-error", "Partial", "provider error: An error occurred."],
  ])("%s: an error mid-stream is listed after the text so far", async (path, text, error) => {
    const result = await runCli(["listen", "--no-reconnect", `${server.url}${path}`]);
    expect(result.stdout).toBe(text);
    expect(result.stderr).toContain(`llm: ${error}`);
  });

  it("an unknown part warns once on stderr, and --json says so in the summary", async () => {
    const pretty = await runCli(["listen", `${server.url}/unknown-part`]);
    expect(pretty.stdout).toBe("p1 p2 end");
    expect(
      pretty.stderr.match(/llm: warning: a part this view does not show: inlineData/g),
    ).toHaveLength(1);
    const json = await runCli(["listen", "--llm", "--json", `${server.url}/unknown-part`]);
    expect(JSON.parse(json.stdout).warnings).toEqual([
      "a part this view does not show: inlineData",
    ]);
    expect(json.stderr).toContain("llm: warning: a part this view does not show: inlineData");
  });

  it("--llm-stall sets the stall threshold; the stall is placed in the answer", async () => {
    // Event 8 of the Anthropic fixture is the second text delta: the pause follows "Hi".
    const result = await runCli([
      "listen",
      "--llm",
      "--json",
      "--llm-stall",
      "1200ms",
      `${server.url}/stall`,
    ]);
    const summary = JSON.parse(result.stdout) as LlmSummary;
    expect(summary.timings.stalls.thresholdMs).toBe(1200);
    // The planted pause is the longest gap (on a loaded machine another may pass the threshold).
    const stalls = summary.timings.stalls.list;
    expect(stalls.length).toBeGreaterThanOrEqual(1);
    const longest = stalls.reduce((a, b) => (b.gapMs > a.gapMs ? b : a));
    expect(longest).toMatchObject({ section: "text", answerChars: 2, before: "Hi" });
  });
});

describe("Gemini without ?alt=sse", () => {
  it("says it is Gemini's JSON array and names the parameter, instead of showing nothing", async () => {
    const result = await runCli([
      "listen",
      "-d",
      '{"contents":[]}',
      `${server.url}/v1beta/models/gemini-test:streamGenerateContent`,
    ]);
    expect(result.code).toBe(ExitCode.failure);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Gemini's streamed JSON array");
    expect(result.stderr).toContain("?alt=sse");
  });
});
