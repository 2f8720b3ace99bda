/**
 * `sse-tool serve` input: each format, bad lines, --strict, pacing, --loop, and hostile input
 * (binary, invalid UTF-8, a 50 MB line, CRLF, empty). The built binary is spawned; one raw
 * client receives what it serves with --exit-on-end.
 */
import { appendFile, mkdtemp, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { StreamEvent } from "../../src/sse/decoder.js";
import { type CliProcess, type CliResult, runCli } from "../helpers/cli-process.js";
import { connectSse, startServe } from "../helpers/sse-client.js";

const running: CliProcess[] = [];
afterEach(() => {
  for (const cli of running.splice(0)) cli.kill("SIGKILL");
});

interface Served {
  events: StreamEvent[];
  /** Arrival time (ms, monotonic) of each event. */
  arrivals: number[];
  /**
   * When the client sent its request (same clock): serve starts reading its input at the
   * first client, so every pause it makes lies between this and the arrivals after it.
   */
  requestedAt: number;
  retries: number[];
  comments: string[];
  result: CliResult;
}

/** Serves `stdin` (or the file among `args`) to one client with --exit-on-end. */
async function serveToOneClient(args: string[], stdin: string | Buffer = ""): Promise<Served> {
  const serve = await startServe(["--exit-on-end", "--heartbeat", "0", ...args], { stdin });
  running.push(serve.cli);
  const requestedAt = performance.now();
  const client = await connectSse(serve.url);
  await client.closed;
  return {
    events: client.events,
    arrivals: client.arrivalMs,
    requestedAt,
    retries: client.retries,
    comments: client.comments,
    result: await serve.cli.exited,
  };
}

const data = (served: Served) => served.events.map((event) => event.data);

let tempDir: string | undefined;
async function tempFile(name: string, content: string | Buffer): Promise<string> {
  tempDir ??= await mkdtemp(join(tmpdir(), "sse-tool-serve-"));
  const path = join(tempDir, name);
  await writeFile(path, content);
  return path;
}

describe("serve: input formats end to end", () => {
  it("lines: each non-empty line is one event; --event names them; CRLF files read like LF", async () => {
    const served = await serveToOneClient(
      ["--format", "lines", "--event", "row"],
      'a\r\n\r\nb c\r\n{"data":1}',
    );
    expect(served.events).toEqual([
      { type: "row", data: "a", lastEventId: "" },
      { type: "row", data: "b c", lastEventId: "" },
      { type: "row", data: '{"data":1}', lastEventId: "" },
    ]);
    expect(served.result.code).toBe(0);
    expect(served.result.stdout).toBe("");
  });

  it("ndjson: fields, JSON data, retry and comment reach the client", async () => {
    const input = [
      '{"event":"e","data":{"x":1},"id":"9","retry":75,"comment":"note"}',
      '{"data":"two\\nlines"}',
      '"just a string"',
    ].join("\n");
    const served = await serveToOneClient(["--format", "ndjson"], input);
    expect(served.events).toEqual([
      { type: "e", data: '{"x":1}', lastEventId: "9" },
      { type: "message", data: "two\nlines", lastEventId: "9" },
      { type: "message", data: "just a string", lastEventId: "9" },
    ]);
    expect(served.retries).toEqual([75]);
    expect(served.comments).toEqual(["note"]);
  });

  it("ndjson with bad lines: one warning per line with its number, the rest delivered", async () => {
    const input = '{"data":"a"}\n{oops\n{"data":"b","retry":-1}\n{"data":"c"}\n';
    const served = await serveToOneClient(["--format", "ndjson", "--quiet"], input);
    expect(data(served)).toEqual(["a", "c"]);
    const warnings = served.result.stderr.split("\n").filter((line) => line.includes("<stdin>:"));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^sse-tool: <stdin>:2: invalid JSON .*, line skipped$/);
    expect(warnings[1]).toMatch(/^sse-tool: <stdin>:3: bad "retry" -1 .*, line skipped$/);
    expect(served.result.code).toBe(0);
  });

  it("--strict: a bad line is fatal, exit 1, one line naming it", async () => {
    const result = await runCli(
      ["serve", "--port", "0", "--no-wait", "--format", "ndjson", "--strict"],
      {
        stdin: '{"data":"a"}\nnope\n{"data":"b"}\n',
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^sse-tool: <stdin>:2: invalid JSON .* \(--strict\)$/m);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it("sse: a saved curl -N capture is re-emitted event by event", async () => {
    const capture =
      ": welcome\nretry: 60\n\nid: 1\nevent: tick\ndata: one\n\ndata: two\ndata: more\n\nid: 2\ndata: three\n\n";
    const served = await serveToOneClient(["--format", "sse"], capture);
    expect(served.events).toEqual([
      { type: "tick", data: "one", lastEventId: "1" },
      { type: "message", data: "two\nmore", lastEventId: "1" },
      { type: "message", data: "three", lastEventId: "2" },
    ]);
    expect(served.retries).toEqual([60]);
    expect(served.comments).toEqual(["welcome"]);
  });

  it("auto: event-stream text is detected; mixed JSON and plain lines are decided per line", async () => {
    const sse = await serveToOneClient([], "event: e\ndata: d\n\n");
    expect(sse.events).toEqual([{ type: "e", data: "d", lastEventId: "" }]);
    const mixed = await serveToOneClient(
      [],
      'plain\n{"event":"x","data":"y"}\n{"not":"an event"}\n',
    );
    expect(mixed.events.map((event) => [event.type, event.data])).toEqual([
      ["message", "plain"],
      ["x", "y"],
      ["message", '{"not":"an event"}'],
    ]);
  });

  it("auto: a log line with an id key stays a log line (all keys must be event fields); a mix gets one notice", async () => {
    const input = [
      '{"event":"created","data":"u-1","id":"1"}',
      '{"level":"info","msg":"user created","id":"u-42"}',
      '{"data":"after","time":"2024-01-01T00:00:00Z"}',
      "plain text",
      '{"level":"warn","id":"u-43"}',
    ].join("\n");
    const served = await serveToOneClient([], input);
    expect(served.events).toEqual([
      { type: "created", data: "u-1", lastEventId: "1" },
      {
        type: "message",
        data: '{"level":"info","msg":"user created","id":"u-42"}',
        lastEventId: "1",
      },
      // Before issue 15 the log line above set every later id to u-42.
      { type: "message", data: "after", lastEventId: "1" },
      { type: "message", data: "plain text", lastEventId: "1" },
      { type: "message", data: '{"level":"warn","id":"u-43"}', lastEventId: "1" },
    ]);
    const notices = served.result.stderr.split("\n").filter((line) => line.includes("mixed input"));
    expect(notices).toEqual([
      "sse-tool: <stdin>:2: mixed input: line 1 was read as an event record, line 2 as plain data " +
        "(a JSON object is an event only when all its keys are event fields: event, data, id, " +
        "retry, comment, time, source); --format ndjson or --format lines reads every line one way",
    ]);
  });

  it("--ids continues after the largest numeric id already in the input", async () => {
    const served = await serveToOneClient(
      ["--ids", "--format", "ndjson"],
      '{"data":"a"}\n{"data":"b","id":"41"}\n{"data":"c"}\n{"data":"d","id":"7"}\n{"data":"e"}\n',
    );
    expect(served.events.map((event) => [event.data, event.lastEventId])).toEqual([
      ["a", "1"],
      ["b", "41"],
      ["c", "42"],
      ["d", "7"],
      ["e", "43"],
    ]);
  });

  it("a file argument is read, --loop replays it, --ids numbers the events", async () => {
    const file = await tempFile("loop.txt", "a\nb\n");
    const serve = await startServe(["--loop", "--ids", file]);
    running.push(serve.cli);
    const client = await connectSse(serve.url);
    await client.waitForEvents(5);
    expect(client.events.slice(0, 5)).toEqual(
      ["a", "b", "a", "b", "a"].map((value, index) => ({
        type: "message",
        data: value,
        lastEventId: String(index + 1),
      })),
    );
    client.close();
  });

  it("--loop with stdin is a usage error; an unreadable file is a clear error", async () => {
    const loop = await runCli(["serve", "--port", "0", "--loop"], { stdin: "a\n" });
    expect(loop.code).toBe(2);
    expect(loop.stderr).toMatch(/--loop needs a file/);
    const missing = await runCli(["serve", "--port", "0", "/nonexistent/events.txt"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("sse-tool: cannot read /nonexistent/events.txt: ENOENT\n");
    const directory = await runCli(["serve", "--port", "0", "--no-wait", "--quiet", tmpdir()]);
    expect(directory.code).toBe(1);
    expect(directory.stderr).toMatch(/^sse-tool: serving .*\nsse-tool: cannot read .*: EISDIR\n$/);
  });
});

describe("serve --follow", () => {
  it("reads a growing file as tail -f does: appended lines, a line finished later, a truncated file from its start", async () => {
    const file = await tempFile("follow.log", "a\nb\n");
    const serve = await startServe(["--follow", "--poll", "20ms", file]);
    running.push(serve.cli);
    const client = await connectSse(serve.url);
    expect((await client.waitForEvents(2)).map((event) => event.data)).toEqual(["a", "b"]);
    await appendFile(file, "c\n");
    await client.waitForEvents(3);
    // Half a line is not an event yet.
    await appendFile(file, "par");
    await appendFile(file, "tial\n");
    await client.waitForEvents(4);
    await truncate(file, 0);
    await serve.cli.waitForStderr(`${file} was truncated: reading it again from the start`);
    await appendFile(file, "after truncation\n");
    await client.waitForEvents(5);
    expect(client.events.map((event) => event.data)).toEqual([
      "a",
      "b",
      "c",
      "partial",
      "after truncation",
    ]);
    serve.cli.kill("SIGTERM");
    await client.closed;
    expect((await serve.cli.exited).code).toBe(0);
  });

  it("--follow needs a file, and neither --loop nor --exit-on-end goes with it (exit 2)", async () => {
    const file = await tempFile("follow2.log", "a\n");
    for (const [args, message] of [
      [["--follow"], /--follow needs a file/],
      [["--follow", "--loop", file], /--follow and --loop/],
      [["--follow", "--exit-on-end", file], /--follow and --exit-on-end/],
      [["--follow", "--poll", "soon", file], /--poll/],
    ] as const) {
      const result = await runCli(["serve", "--port", "0", ...args], { stdin: "" });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });
});

describe("serve --help", () => {
  it("lists serve's exit codes, not listen's", async () => {
    const help = await runCli(["serve", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /Exit codes:\n {2}0 {4}stopped by Ctrl-C, SIGTERM or --exit-on-end/,
    );
    expect(help.stdout).toMatch(/1 {4}cannot listen/);
    expect(help.stdout).not.toMatch(/--idle-timeout elapsed|--expect-\*|-n reached/);
  });
});

describe("serve: pacing", () => {
  it("--timing original replays the recorded gaps of a listen --json capture", async () => {
    const t0 = Date.parse("2024-05-01T10:00:00.000Z");
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    const capture = [
      { time: at(0), event: "message", id: "", data: "first" },
      { time: at(0), event: "message", id: "", data: "burst" },
      { time: at(600), event: "message", id: "", data: "after a pause" },
      { time: at(600), event: "message", id: "", data: "burst again" },
    ]
      .map((record) => JSON.stringify(record))
      .join("\n");
    const file = await tempFile("capture.ndjson", capture);
    const served = await serveToOneClient(["--timing", "original", file]);
    expect(data(served)).toEqual(["first", "burst", "after a pause", "burst again"]);
    const [a, b, c, d] = served.arrivals as [number, number, number, number];
    // The full 600 ms lies between the request and the event after the pause (a late delivery
    // only adds to it: no allowance for load is needed); replaying at double speed fails.
    expect(c - served.requestedAt).toBeGreaterThanOrEqual(600 - 2);
    // The bursts are shorter than the pause.
    expect(b - a).toBeLessThan(c - b);
    expect(d - c).toBeLessThan(c - b);
  });

  it("--interval paces events", async () => {
    const served = await serveToOneClient(["--interval", "150"], "a\nb\nc\n");
    expect(data(served)).toEqual(["a", "b", "c"]);
    // Two pauses of 150 ms lie between the request and the last event (a late delivery only
    // adds to it); pacing at double speed fails.
    expect(served.arrivals[2]! - served.requestedAt).toBeGreaterThanOrEqual(300 - 2);
  });
});

describe("serve: hostile input", () => {
  it("binary data and invalid UTF-8: replaced with U+FFFD and warned with the line number", async () => {
    const input = Buffer.concat([
      Buffer.from("ok\n"),
      Buffer.from([0x62, 0x69, 0x6e, 0x00, 0x01, 0xff, 0xfe, 0x0a]),
      Buffer.from("caf\u00e9\n"),
    ]);
    const served = await serveToOneClient(["--format", "lines"], input);
    expect(data(served)).toEqual(["ok", "bin\u0000\u0001\uFFFD\uFFFD", "café"]);
    expect(served.result.stderr).toMatch(/<stdin>:2: invalid UTF-8, replaced with U\+FFFD/);
    expect(served.result.code).toBe(0);
  });

  it("a 50 MB single line is skipped with a warning; the lines around it are delivered", async () => {
    const input = Buffer.concat([
      Buffer.from("before\n"),
      Buffer.alloc(50 * 1024 * 1024, 0x78),
      Buffer.from("\nafter\n"),
    ]);
    const served = await serveToOneClient(["--format", "lines"], input);
    expect(data(served)).toEqual(["before", "after"]);
    expect(served.result.stderr).toMatch(/<stdin>:2: line longer than 8388608 bytes, skipped/);
    expect(served.result.code).toBe(0);
  });

  it("empty input: no events, clean exit with --exit-on-end", async () => {
    const served = await serveToOneClient([], "");
    expect(served.events).toEqual([]);
    expect(served.result.code).toBe(0);
    expect(served.result.stderr).toMatch(/ended after 0 events/);
  });

  it("an id with CR, LF or NUL is rejected with a warning, the other events are sent", async () => {
    const input =
      '{"data":"a","id":"bad\\nid"}\n{"data":"b","id":"x\\u0000"}\n{"data":"c","id":"good"}\n';
    const served = await serveToOneClient(["--format", "ndjson"], input);
    expect(served.events).toEqual([{ type: "message", data: "c", lastEventId: "good" }]);
    expect(served.result.stderr).toMatch(
      /<stdin>:1: id must not contain CR, LF or NUL, event skipped/,
    );
    expect(served.result.stderr).toMatch(
      /<stdin>:2: id must not contain CR, LF or NUL, event skipped/,
    );
  });
});
