/**
 * `serve` and `listen` together, as users chain them: round trips, the relay pipeline
 * `listen --json URL | serve`, and `sse-tool demo`. Built binary, spawned.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type CliProcess, runCli, startCli } from "../helpers/cli-process.js";
import { connectSse, startServe } from "../helpers/sse-client.js";

const running: CliProcess[] = [];
afterEach(() => {
  for (const cli of running.splice(0)) cli.kill("SIGKILL");
});

async function tempFile(name: string, content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "sse-tool-roundtrip-"));
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const awkwardLines = [
  "plain",
  "  leading and trailing spaces  ",
  'quotes " and \\ backslashes \\n (not a line break)',
  "tab\there, unicode: ü ✓ 😀 ﻿ zero-width​joiner",
  ": looks like a comment",
  "data: looks like a field",
  '{"json": [1, 2, {"deep": null}]}',
  "x".repeat(100_000),
];

describe("serve + listen", () => {
  it("listen --json gets every line of a file back byte-exact as event data", async () => {
    const content = `${awkwardLines.join("\n")}\n`;
    const file = await tempFile("lines.txt", content);
    const serve = await startServe(["--format", "lines", "--exit-on-end", "--quiet", file]);
    running.push(serve.cli);
    const listened = await runCli(["listen", "--json", "--no-reconnect", serve.url]);
    expect(listened.code).toBe(0);
    const data = listened.stdout
      .trimEnd()
      .split("\n")
      .map((line) => (JSON.parse(line) as { data: string }).data);
    expect(Buffer.from(`${data.join("\n")}\n`)).toEqual(Buffer.from(content));
    expect((await serve.cli.exited).code).toBe(0);
  });

  it("an event-stream file served with --format sse comes out of listen --raw byte for byte", async () => {
    const canonical =
      "id: 1\nevent: greeting\ndata: hello\n\n" +
      "data: two\ndata: lines\n\n" +
      'id: 2\nevent: json\ndata: {"a":[1,2]}\n\n' +
      "data: ü ✓ 😀\n\n";
    const file = await tempFile("capture.sse", canonical);
    const serve = await startServe(["--format", "sse", "--exit-on-end", "--heartbeat", "0", file]);
    running.push(serve.cli);
    const listened = await runCli(["listen", "--raw", "--no-reconnect", serve.url]);
    expect(listened.code).toBe(0);
    expect(listened.stdoutBytes).toEqual(Buffer.from(canonical));
  });

  it("relay: listen --json URL | serve passes names, ids and data through to a client", async () => {
    const upstreamFile = await tempFile(
      "upstream.ndjson",
      [
        '{"event":"greeting","data":"hi","id":"a1"}',
        '{"data":"multi\\nline"}',
        '{"event":"json","data":{"k":"v"},"id":"a2"}',
      ].join("\n"),
    );
    const upstream = await startServe(["--exit-on-end", "--quiet", upstreamFile]);
    running.push(upstream.cli);
    const relay = await startServe(["--exit-on-end", "--quiet"]);
    running.push(relay.cli);
    const listener = startCli(["listen", "--json", "--no-reconnect", upstream.url]);
    running.push(listener);
    if (listener.child.stdout && relay.cli.child.stdin) {
      listener.child.stdout.pipe(relay.cli.child.stdin);
    }
    const client = await connectSse(relay.url);
    await client.closed;
    expect(client.events).toEqual([
      { type: "greeting", data: "hi", lastEventId: "a1" },
      { type: "message", data: "multi\nline", lastEventId: "a1" },
      { type: "json", data: '{"k":"v"}', lastEventId: "a2" },
    ]);
    expect((await relay.cli.exited).code).toBe(0);
  });
});

describe("sse-tool demo", () => {
  it("serves the sample stream, listens to it, exits 0 and says what to try next", async () => {
    const result = await runCli(["demo", "--no-color"]);
    expect(result.code).toBe(0);
    for (const expected of [
      "welcome to the sse-tool demo",
      "greeting id=1",
      "user.login id=2",
      "build started",
      "compiling 42 files",
      "heartbeat: comments keep proxies",
      "done id=6",
    ]) {
      expect(result.stdout).toContain(expected);
    }
    expect(result.stdout).toMatch(/progress id=5 .*"step": 3/);
    expect(result.stderr).toMatch(/serving a sample stream at http:\/\/127\.0\.0\.1:\d+\/events/);
    expect(result.stderr).toContain("Try next:");
    expect(result.stderr).not.toMatch(/error/i);
  });
});
