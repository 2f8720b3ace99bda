/**
 * What `listen` writes: the pretty view (escaped, coloured only when asked), --json, --raw,
 * --comments, -e, -n, the timeouts, and pipelines whose reader leaves early.
 */
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli-process.js";
import {
  eventStreamHeaders,
  sendChunks,
  startTestServer,
  type TestServer,
} from "../helpers/http-test-server.js";
import { endlessCounter, runPipeline, sendThenHang } from "../helpers/sse-routes.js";

const hostile =
  "event: evil\x1b[2J\nid: 7\x1b]0;title\x07\n" +
  "data: before\x1b[31mred\x1b[0m \x9b2J \u202egnp.exe \x7f\x08end\n\n" +
  ": comment \x1b[1A up\n" +
  'event: update\ndata: {"user":"ann","count":3,"big":12345678901234567890,"ok":true,"none":null}\n\n' +
  "data: line 1\ndata: line 2\n\n";

let rawConnections = 0;
const rawBodies = [
  Buffer.from("data: one\r\n\r\n: c\r\n"),
  Buffer.from([0xef, 0xbb, 0xbf, 0x64, 0x61, 0x74, 0x61, 0x3a, 0xff, 0x0a, 0x0a]),
];

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    "/hostile": sendChunks([hostile]),
    "/endless": endlessCounter(5),
    "/slow": endlessCounter(50),
    "/types": sendChunks([
      "event: a\ndata: 1\n\nevent: b\ndata: 2\n\nevent: c\ndata: 3\n\nevent: a\ndata: 4\n\ndata: 5\n\nevent: b\ndata: 6\n\n",
    ]),
    "/stall-mid-event": sendThenHang("id: 1\ndata: one\n\nid: 2\ndata: two\n\nid: 3\ndata: par"),
    "/raw": (_request, response: ServerResponse) => {
      const body = rawBodies[rawConnections++];
      if (!body) return void response.writeHead(204).end();
      response.writeHead(200, eventStreamHeaders);
      response.end(body);
    },
  });
});
afterAll(() => server.close());

describe.concurrent("listen output", () => {
  it("pretty mode escapes every control and escape sequence from the server", async () => {
    const result = await runCli(
      ["listen", "--no-reconnect", "--comments", `${server.url}/hostile`],
      {
        env: { FORCE_COLOR: "1" },
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout;
    // Colour is on (forced), so ESC appears, but only in our own SGR colour codes.
    expect(out).toMatch(/\x1b\[\d+m/);
    expect(out.replace(/\x1b\[\d+(;\d+)*m/g, "")).not.toMatch(
      /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/,
    );
    const plain = out.replace(/\x1b\[\d+(;\d+)*m/g, "");
    expect(plain).toContain(
      "evil\\x1b[2J id=7\\x1b]0;title\\x07 before\\x1b[31mred\\x1b[0m \\x9b2J \\u202egnp.exe \\x7f\\x08end",
    );
    expect(plain).toContain(": comment \\x1b[1A up");
  });

  it("pretty mode without a terminal: no colour, time, type, id, JSON laid out, lines indented", async () => {
    const result = await runCli(["listen", "--no-reconnect", `${server.url}/hostile`]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain("\x1b");
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} evil\\x1b\[2J id=7\\x1b\]0;title\\x07 before/);
    expect(lines[1]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} update \(id 7\\x1b\]0;title\\x07\) \{"user": "ann", "count": 3, "big": 12345678901234567890, "ok": true, "none": null\}$/,
    );
    // Events without an id of their own show the inherited one as (id ...).
    expect(lines[2]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} message \(id 7\\x1b\]0;title\\x07\)$/);
    expect(lines.slice(3)).toEqual(["  line 1", "  line 2", ""]);
    // Comments are not shown without --comments.
    expect(result.stdout).not.toContain("comment");
    // Not a terminal: no "connected" line, only the closing summary.
    expect(result.stderr).toMatch(
      /^sse-tool: stream ended: 3 events, \d+ B, [\d.]+ s, 0 reconnects\n$/,
    );
  });

  it("--no-color and NO_COLOR turn colour off even when FORCE_COLOR is set", async () => {
    const url = `${server.url}/hostile`;
    const [flag, env] = await Promise.all([
      runCli(["listen", "--no-reconnect", "--no-color", url], { env: { FORCE_COLOR: "1" } }),
      runCli(["listen", "--no-reconnect", url], { env: { FORCE_COLOR: "1", NO_COLOR: "1" } }),
    ]);
    expect(flag.stdout).not.toContain("\x1b");
    expect(env.stdout).not.toContain("\x1b");
    expect(flag.stdout).toContain("before\\x1b[31mred");
  });

  it("--json --comments adds {time, comment} lines; --json alone has only events", async () => {
    const url = `${server.url}/hostile`;
    const [withComments, without] = await Promise.all([
      runCli(["listen", "--json", "--comments", "--no-reconnect", url]),
      runCli(["listen", "--json", "--no-reconnect", url]),
    ]);
    const parsed = withComments.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(parsed[1]).toEqual({ time: expect.any(String), comment: "comment \x1b[1A up" });
    expect(Object.keys(parsed[1])).toEqual(["time", "comment"]);
    const events = without.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(events).toHaveLength(3);
    expect(events[0]).toEqual({
      time: expect.any(String),
      event: "evil\x1b[2J",
      id: "7\x1b]0;title\x07",
      data: "before\x1b[31mred\x1b[0m \x9b2J \u202egnp.exe \x7f\x08end",
    });
    // JSON escaping keeps raw ESC and BEL off stdout.
    expect(without.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
  });

  it("-e shows only the given types (repeatable); -n stops after n shown, exit 0", async () => {
    const url = `${server.url}/types`;
    const [filtered, limited] = await Promise.all([
      runCli(["listen", "--json", "--no-reconnect", "-e", "a", "--event", "message", url]),
      runCli(["listen", "--json", "--no-reconnect", "-e", "b", "-n", "1", url]),
    ]);
    const data = (stdout: string) =>
      stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).data as string);
    expect(data(filtered.stdout)).toEqual(["1", "4", "5"]);
    expect(filtered.stderr).toMatch(/stream ended: 6 events \(3 shown\)/);
    expect(data(limited.stdout)).toEqual(["2"]);
    expect(limited.code).toBe(0);
    expect(limited.stderr).toMatch(/^sse-tool: done \(-n 1\): /);
  });

  it("-n ends an endless stream with exit 0", async () => {
    const result = await runCli(["listen", "--json", "-n", "5", `${server.url}/endless`]);
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).data),
    ).toEqual(["event 1", "event 2", "event 3", "event 4", "event 5"]);
  });

  it("--raw writes the body bytes unchanged, across reconnections", async () => {
    const result = await runCli(["listen", "--raw", "--retry", "10", `${server.url}/raw`]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdoutBytes.equals(Buffer.concat(rawBodies))).toBe(true);
    expect(result.stderr, result.stderr).toMatch(/2 events, 29 B, [\d.]+ s, 2 reconnects\n$/);
  });

  it("--raw with --json is a usage error (exit 2)", async () => {
    const result = await runCli(["listen", "--raw", "--json", `${server.url}/raw`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^sse-tool: --raw writes the body unchanged; it cannot be combined/,
    );
  });

  it("--timeout ends with exit 3, events received before it shown", async () => {
    const result = await runCli(["listen", "--json", "--timeout", "1.5", `${server.url}/slow`]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('"data":"event 1"');
    expect(result.stderr).toMatch(/\nsse-tool: timeout: --timeout 1.5 s elapsed\n$/);
  });

  it("--idle-timeout after a stall mid-event: exit 3, earlier events shown, no partial", async () => {
    const result = await runCli([
      "listen",
      "--json",
      "--idle-timeout",
      "1",
      `${server.url}/stall-mid-event`,
    ]);
    expect(result.code).toBe(3);
    expect(
      result.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).data),
    ).toEqual(["one", "two"]);
    expect(result.stderr).toMatch(
      /^sse-tool: 2 events, \d+ B, [\d.]+ s, 0 reconnects\nsse-tool: idle timeout: no data for 1 s\n$/,
    );
  });

  it("`listen URL | head -n 3` exits 0 with nothing on stderr", async () => {
    const result = await runPipeline(["listen", `${server.url}/endless`], "head -n 3");
    expect(result).toEqual({
      code: 0,
      stdout: expect.stringMatching(/^(\d\d:\d\d:\d\d\.\d{3} message id=\d event \d\n){3}$/),
      stderr: "",
    });
  });

  it("--json piped into a reader that leaves after one line: quiet exit 0", async () => {
    const result = await runPipeline(
      ["listen", "--json", `${server.url}/endless`],
      `sh -c 'read line; echo "$line"'`,
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout).data).toBe("event 1");
  });
});
