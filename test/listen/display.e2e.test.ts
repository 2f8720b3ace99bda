/**
 * What `listen` shows (issue 15): the --llm footer and the lines after a Ctrl-C on lines of
 * their own, unnamed events in a neutral colour, own vs inherited ids, --time, very large data
 * shortened (--full), --json-data, --accept-any-type. The built binary, spawned on pipes or on a
 * real pseudo-terminal, against servers started here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli-process.js";
import { sendChunks, startTestServer, type TestServer } from "../helpers/http-test-server.js";
import { runInTerminal, startInTerminal } from "../helpers/terminal-run.js";

const chatChunk = (content: string) =>
  `data: ${JSON.stringify({ object: "chat.completion.chunk", choices: [{ index: 0, delta: { content } }] })}\n\n`;
const bigData = "x".repeat(20_000);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    // A reply that does not end in a line break, as real replies rarely do.
    "/chat": sendChunks([chatChunk("Hello"), chatChunk(" world"), "data: [DONE]\n\n"]),
    "/ids": sendChunks(["id: 3\ndata: own\n\ndata: inherited\n\nevent: tick\ndata: named\n\n"]),
    "/big": sendChunks([`data: ${bigData}\n\n`]),
    "/json": sendChunks([
      'data: {"user":{"name":"ada"},\ndata:  "n":[1,2]}\n\ndata: plain\n\ndata: 42\n\ndata: {broken\n\n',
    ]),
    "/plain-text": (_request, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      response.end("data: from a text/plain body\n\n");
    },
    "/two": (_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write("data: first\n\n");
      setTimeout(() => response.end("data: second\n\n"), 250);
    },
    "/open": (_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write("data: waiting\n\n");
    },
  });
});
afterAll(() => server.close());

describe.concurrent("listen --llm and Ctrl-C keep lines apart", () => {
  it("the footer starts on its own line; stdout is exactly the answer", async () => {
    const piped = await runCli(["listen", "--llm", `${server.url}/chat`]);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).toBe("Hello world");
    expect(piped.stderr).toMatch(/^\nllm: OpenAI chat/);
    const terminal = await runInTerminal(["listen", "--llm", "--no-color", `${server.url}/chat`]);
    expect(terminal.code).toBe(0);
    expect(terminal.screen).toMatch(/Hello world\r\nllm: OpenAI chat/);
  });

  it("after ^C, sse-tool's lines start on a new line", async () => {
    const session = startInTerminal(["listen", "--no-color", `${server.url}/open`]);
    await session.waitFor("waiting\r\n");
    session.type("\x03");
    const result = await session.exited;
    expect(result.code).toBe(130);
    expect(result.screen).toMatch(/\^C\r\nsse-tool: interrupted: 1 event/);
  });
});

describe.concurrent("the pretty view", () => {
  it("unnamed message events are in a neutral colour (bold), named ones in theirs", async () => {
    const result = await runCli(["listen", "--no-reconnect", `${server.url}/ids`], {
      env: { FORCE_COLOR: "1" },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("\x1b[1mmessage\x1b[22m");
    expect(result.stdout).not.toMatch(/\x1b\[9?1m\x1b\[1mmessage|\x1b\[1m\x1b\[9?1mmessage/);
    expect(result.stdout).toMatch(/\x1b\[1m\x1b\[[39]\dmtick/);
  });

  it("an id the event carried is id=3; one inherited is a dimmed (id 3)", async () => {
    const plain = await runCli(["listen", "--no-reconnect", "--time", "none", `${server.url}/ids`]);
    expect(plain.stdout).toBe("message id=3 own\nmessage (id 3) inherited\ntick (id 3) named\n");
    const coloured = await runCli(["listen", "--no-reconnect", `${server.url}/ids`], {
      env: { FORCE_COLOR: "1" },
    });
    expect(coloured.stdout).toContain("\x1b[2m(id 3)\x1b[22m");
    expect(coloured.stdout).toContain(" id=3 ");
  });

  it("--time clock (default), relative, delta and none", async () => {
    const clock = await runCli(["listen", "--no-reconnect", `${server.url}/two`]);
    expect(clock.stdout).toMatch(/^\d\d:\d\d:\d\d\.\d{3} message first\n/);
    const relative = await runCli([
      "listen",
      "--no-reconnect",
      "--time",
      "relative",
      `${server.url}/two`,
    ]);
    const offsets = [...relative.stdout.matchAll(/^ *\+(\d+\.\d{3})s message/gm)].map((m) =>
      Number(m[1]),
    );
    expect(offsets).toHaveLength(2);
    // The server waits 250 ms between the two: a busy machine may shorten what arrives, not to 0.
    expect(offsets[1]! - offsets[0]!).toBeGreaterThan(0.05);
    const delta = await runCli([
      "listen",
      "--no-reconnect",
      "--time",
      "delta",
      `${server.url}/two`,
    ]);
    const gaps = [...delta.stdout.matchAll(/^ *\+(\d+\.\d{3})s message/gm)].map((m) =>
      Number(m[1]),
    );
    expect(gaps).toHaveLength(2);
    expect(gaps[1]!).toBeGreaterThan(0.05);
    const none = await runCli(["listen", "--no-reconnect", "--time", "none", `${server.url}/two`]);
    expect(none.stdout).toBe("message first\nmessage second\n");
    const bad = await runCli(["listen", "--time", "sometimes", `${server.url}/two`]);
    expect(bad.code).toBe(2);
  });

  it("very large data is shortened with its byte count; --full shows it all", async () => {
    const short = await runCli(["listen", "--no-reconnect", "--time", "none", `${server.url}/big`]);
    expect(short.stdout).toBe(
      `message ${"x".repeat(2048)}… [20000 bytes in all; --full shows all]\n`,
    );
    const full = await runCli([
      "listen",
      "--no-reconnect",
      "--full",
      "--time",
      "none",
      `${server.url}/big`,
    ]);
    expect(full.stdout).toBe(`message ${bigData}\n`);
  });
});

describe.concurrent("--json-data and --accept-any-type", () => {
  it("--json-data carries JSON object/array data parsed; --json alone is unchanged", async () => {
    const parsed = await runCli(["listen", "--json-data", "--no-reconnect", `${server.url}/json`]);
    expect(parsed.code, parsed.stderr).toBe(0);
    const lines = parsed.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.data)).toEqual([
      { user: { name: "ada" }, n: [1, 2] },
      "plain",
      "42",
      "{broken",
    ]);
    expect(Object.keys(lines[0])).toEqual(["time", "event", "id", "data"]);
    const unchanged = await runCli(["listen", "--json", "--no-reconnect", `${server.url}/json`]);
    const first = JSON.parse(unchanged.stdout.split("\n")[0]!);
    expect(first.data).toBe('{"user":{"name":"ada"},\n "n":[1,2]}');
  });

  it("a text/plain stream fails without --accept-any-type and is read with it, with a warning", async () => {
    const refused = await runCli(["listen", "--no-reconnect", `${server.url}/plain-text`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("expected Content-Type text/event-stream, got text/plain");
    const accepted = await runCli([
      "listen",
      "--accept-any-type",
      "--json",
      "--no-reconnect",
      `${server.url}/plain-text`,
    ]);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(JSON.parse(accepted.stdout).data).toBe("from a text/plain body");
    expect(accepted.stderr).toContain(
      "sse-tool: warning: Content-Type is text/plain, not text/event-stream; reading it as an event stream anyway (--accept-any-type)",
    );
  });
});
