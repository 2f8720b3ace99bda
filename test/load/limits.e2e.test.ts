/**
 * The limits a big run meets: the open-file limit (Node raises the soft limit to the hard one;
 * a hard limit too low is warned about before the run), events larger than --max-event-size,
 * and servers that break HTTP: each is a counted failure or drop, never a crash or a hang.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadReport } from "../../src/load/report/report.js";
import { runShell, shellCommand } from "../helpers/cli-process.js";
import {
  eventStreamHeaders,
  startTestServer,
  type TestServer,
} from "../helpers/http-test-server.js";
import { runLoad, startRawServer } from "./load-scenarios.js";

let server: TestServer;
/** Answers by request path with raw bytes no HTTP library would send. */
let rawServer: Awaited<ReturnType<typeof startRawServer>>;
let rawUrl: string;
const rawAnswers: Record<string, string> = {
  "/not-http": "SSH-2.0-OpenSSH_9.6\r\n\r\n",
  "/bad-chunk":
    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n" +
    "f\r\nid: 1\ndata: a\n\n\r\nzz-not-a-size\r\n",
  "/endless-head": `HTTP/1.1 200 OK\r\n${"x-filler: 0123456789abcdef\r\n".repeat(2000)}`,
};

beforeAll(async () => {
  server = await startTestServer({
    "/events": (_request, response) => {
      response.writeHead(200, eventStreamHeaders);
      response.write("id: 1\ndata: one\n\n");
    },
    "/huge": (_request, response) => {
      response.writeHead(200, eventStreamHeaders);
      response.write(`retry: 100000\nid: 1\ndata: ${"x".repeat(200_000)}\n\n`);
    },
  });
  // Hundreds of connections at once: the server must not limit them.
  server.server.maxConnections = 10_000;
});

beforeAll(async () => {
  rawServer = await startRawServer(rawAnswers);
  rawUrl = rawServer.url;
});

afterAll(async () => {
  await server.close();
  await rawServer.close();
});

/** Runs `ulimit <limitArgs> && exec sse-tool load --json <args>` in sh, as a user's shell would. */
async function loadWithUlimit(limitArgs: string, args: string[]) {
  const result = await runShell(
    `ulimit ${limitArgs} && exec ${shellCommand(["load", "--json", ...args])}`,
  );
  return { ...result, report: JSON.parse(result.stdout) as LoadReport };
}

describe("load: open files", () => {
  it("a low soft limit is no obstacle: Node raises it to the hard limit", async () => {
    const result = await loadWithUlimit("-Sn 256", [
      "-c",
      "400",
      "--duration",
      "2",
      `${server.url}/events`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/warning/);
    const report = result.report;
    expect({ connected: report.connected, failed: report.connections.failed }).toEqual({
      connected: 400,
      failed: {},
    });
  });

  it("warns before starting when even the hard limit is too low, and reports what failed", async () => {
    const result = await loadWithUlimit("-n 200", [
      "-c",
      "300",
      "--duration",
      "2",
      `${server.url}/events`,
    ]);
    expect(result.stderr).toMatch(
      /sse-tool: warning: 300 clients need about 364 open files, but this process may open 200 \(the hard limit, ulimit -Hn\):\n {2}clients past about 136 will fail with "too many open files"\./,
    );
    expect(result.stderr).toMatch(/--merge/);
    const report = result.report;
    expect(report.connections.failed.files).toBeGreaterThan(0);
    expect(report.warnings[0]).toMatch(/^warning: 300 clients need about 364 open files/);
  });
});

describe("load: event size", () => {
  it("an event larger than --max-event-size drops that client's stream (too-large)", async () => {
    const result = await runLoad([
      "-c",
      "2",
      "--duration",
      "1.5",
      "--max-event-size",
      "64KiB",
      `${server.url}/huge`,
    ]);
    const report = result.report;
    expect(report.events).toBe(0);
    expect(report.connections.dropped).toEqual({ "too-large": 2 });
  });
});

describe("load: servers that break HTTP", () => {
  it("an answer that is not HTTP is a protocol failure (exit 1 when nobody connects)", async () => {
    const result = await runLoad(["-c", "3", "--duration", "5", `${rawUrl}/not-http`]);
    expect(result.code).toBe(1);
    expect(result.report.connections.failed).toEqual({ protocol: 3 });
    expect(result.stderr).toMatch(
      /no client could connect to 127\.0\.0\.1:\d+: not an HTTP\/1\.x response/,
    );
  });

  it("a response head that never ends is cut off at 16 KiB", async () => {
    const result = await runLoad(["-c", "2", "--duration", "5", `${rawUrl}/endless-head`]);
    expect(result.code).toBe(1);
    expect(result.report.connections.failed).toEqual({ protocol: 2 });
  });

  it("broken chunk framing in the middle of a stream is a drop; the events before it count", async () => {
    const result = await runLoad(["-c", "2", "--duration", "1.5", `${rawUrl}/bad-chunk`]);
    expect(result.code).toBe(0);
    const report = result.report;
    expect({ events: report.events, dropped: report.connections.dropped }).toEqual({
      events: 2,
      dropped: { protocol: 2 },
    });
  });
});
