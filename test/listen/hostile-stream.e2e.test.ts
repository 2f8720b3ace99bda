/**
 * Issue 13: `listen` never hangs, crashes or lies on a hostile or broken stream. Each test runs
 * the built binary against a real local server that sends what a broken or hostile backend
 * sends: a small event that made the pretty view backtrack for ever, JSON nested 10,000 levels
 * deep, terminal escapes in every field.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli-process.js";
import {
  eventStreamHeaders,
  sendChunks,
  startTestServer,
  type TestServer,
} from "../helpers/http-test-server.js";

/** 55 bytes on the wire: an unterminated JSON string in an event's data. */
const backtrackingEvent = `data: {"a":"${"x".repeat(41)}\n\n`;
const depth = 10_000;
const deepArray = `${"[".repeat(depth)}${"]".repeat(depth)}`;
const deepObject = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
/** An OpenAI chat chunk whose delta carries a 10,000-level value. */
const deepLlmChunk = `{"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"hi","x":${deepArray}}}]}`;

let retryZeroConnections = 0;
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    "/backtrack": sendChunks([`data: before\n\n${backtrackingEvent}data: after\n\n`]),
    "/deep": sendChunks([
      `data: first\n\ndata: ${deepArray}\n\ndata: ${deepObject}\n\ndata: last\n\n`,
    ]),
    "/deep-llm": sendChunks([`data: ${deepLlmChunk}\n\ndata: ${deepArray}\n\ndata: [DONE]\n\n`]),
    "/retry-zero": (_request, response) => {
      retryZeroConnections++;
      response.writeHead(200, eventStreamHeaders);
      response.end(`retry: 0\ndata: ${retryZeroConnections}\n\n`);
    },
    "/broken-utf8": sendChunks([
      Buffer.concat([
        Buffer.from("date: monday\ndata: caf"),
        Buffer.from([0xc3]),
        Buffer.from("\n\ndata: b"),
        Buffer.from([0xff, 0xfe]),
        Buffer.from("d\nrandom: x\n\ndata: ok \uFFFD\n\n"),
      ]),
    ]),
  });
});
afterAll(() => server.close());

describe.concurrent("listen on a hostile stream", () => {
  it("a 55-byte event with an unterminated JSON string does not hang the pretty view", async () => {
    expect(Buffer.byteLength(backtrackingEvent)).toBe(55);
    const result = await runCli(["listen", "--no-reconnect", `${server.url}/backtrack`], {
      killAfterMs: 15_000,
    });
    expect(result.signal, "killed: the pretty view hung").toBeNull();
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(/ message before$/);
    // Not JSON: shown as the text it is.
    expect(lines[1]).toMatch(/ message \{"a":"x{41}$/);
    expect(lines[2]).toMatch(/ message after$/);
  });

  it("JSON 10,000 levels deep is shown flat, with the events around it, in pretty and --json", async () => {
    // --full: the pretty view shortens data this large otherwise.
    for (const view of [["--full"], ["--json"], ["--json-data"], ["--stats", "--full"]]) {
      const result = await runCli(["listen", "--no-reconnect", ...view, `${server.url}/deep`]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).not.toMatch(/call stack|RangeError|unexpected error/i);
      expect(result.stdout).toContain(deepArray);
      if (view[0] === "--json-data") {
        // Parsed when the parser takes that depth, else left a string: either way, all of it.
        const parsed = result.stdout.includes(deepObject);
        expect(parsed || result.stdout.includes(JSON.stringify(deepObject))).toBe(true);
      } else {
        expect(result.stdout).toContain(
          view[0] === "--json" ? JSON.stringify(deepObject) : deepObject,
        );
      }
      expect(result.stdout).toMatch(/first[\s\S]*last/);
    }
  });

  it("the --llm view reads a chunk carrying 10,000 levels of nesting, auto and forced", async () => {
    for (const view of [[], ["--llm"], ["--llm", "--json"]]) {
      const result = await runCli(["listen", "--no-reconnect", ...view, `${server.url}/deep-llm`]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).not.toMatch(/call stack|RangeError|unexpected error/i);
      if (view.includes("--json")) expect(JSON.parse(result.stdout).text).toBe("hi");
      else expect(result.stdout).toMatch(/^hi\n?$/);
    }
  });

  it("invalid UTF-8 and unknown fields are shown, counted and told once; -v tells each", async () => {
    const quiet = await runCli(["listen", "--no-reconnect", `${server.url}/broken-utf8`]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout).toMatch(
      / message caf\uFFFD\n.* message b\uFFFD\uFFFDd\n.* message ok \uFFFD\n$/,
    );
    const warnings = quiet.stderr.split("\n").filter((line) => line.includes("warning"));
    expect(warnings).toEqual([
      "sse-tool: warning: the stream holds invalid UTF-8, shown as U+FFFD (-v shows each)",
      'sse-tool: warning: unknown field "date" ignored (-v shows each)',
    ]);
    // The U+FFFD the server sent as such is not counted.
    expect(quiet.stderr).toContain(
      'sse-tool: decode problems: 3 invalid UTF-8 sequences, 2 unknown fields ("date", ...)\n',
    );

    const verbose = await runCli(["listen", "-v", "--no-reconnect", `${server.url}/broken-utf8`]);
    expect(verbose.code, verbose.stderr).toBe(0);
    expect(verbose.stderr).toContain('* unknown field "date" ignored\n');
    expect(verbose.stderr).toContain('* unknown field "random" ignored\n');
    expect(verbose.stderr).toMatch(
      /\* invalid UTF-8 near byte \d+: 3 sequences shown as U\+FFFD\n/,
    );
  });

  it("retry: 0 with one event per connection reconnects at most every 100 ms", async () => {
    const started = performance.now();
    const result = await runCli(["listen", "--timeout", "2", `${server.url}/retry-zero`]);
    const seconds = (performance.now() - started) / 1000;
    expect(result.code, result.stderr).toBe(3);
    // About 10 a second (2 s, plus process start-up); without the floor it was ~400 a second.
    // At least 3 even on a machine so busy that start-up takes most of the 2 s.
    expect(retryZeroConnections).toBeGreaterThanOrEqual(3);
    expect(retryZeroConnections).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 2);
  });
});

describe.concurrent("every duration option is bounded by what a timer can wait", () => {
  const tooLong: Array<[string[], string]> = [
    [["listen", "--timeout", "2200000"], "--timeout"],
    [["listen", "--idle-timeout", "9999999"], "--idle-timeout"],
    [["listen", "--connect-timeout", "9999999"], "--connect-timeout"],
    [["listen", "--retry", "99999999999"], "--retry"],
    [["listen", "--llm-stall", "40000m"], "--llm-stall"],
    [["doctor", "--duration", "2200000"], "--duration"],
    [["serve", "--heartbeat", "9999999"], "--heartbeat"],
    [["serve", "--interval", "99999999999"], "--interval"],
    [["serve", "--retry", "99999999999"], "--retry"],
    [["serve", "--llm-fake", "openai", "--llm-fake-ttft", "40000m"], "--llm-fake-ttft"],
    [["serve", "--llm-fake", "openai", "--llm-fake-stall", "1:40000m"], "--llm-fake-stall"],
  ];
  it.each(tooLong)("%j is a usage error (exit 2)", async (args, flag) => {
    const url = args[0] === "serve" ? ["--port", "0"] : ["http://127.0.0.1:9/events"];
    const result = await runCli([...args, ...url]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(flag);
    expect(result.stderr).toContain("at most 2147483647 ms");
  });
});
