/**
 * The limits a big run meets: the open-file limit (Node raises the soft limit to the hard one;
 * a hard limit too low is warned about before the run) and events larger than --max-event-size.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadReport } from "../../src/load/report.js";
import { runCli, runShell, shellCommand } from "../helpers/cli-process.js";
import {
  eventStreamHeaders,
  startTestServer,
  type TestServer,
} from "../helpers/http-test-server.js";

let server: TestServer;

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

afterAll(async () => {
  await server.close();
});

/** Runs `ulimit <limitArgs> && exec sse-tool <args>` in sh, as a user's shell would. */
function runWithUlimit(limitArgs: string, args: string[]) {
  return runShell(`ulimit ${limitArgs} && exec ${shellCommand(args)}`);
}

describe("load: open files", () => {
  it("a low soft limit is no obstacle: Node raises it to the hard limit", async () => {
    const result = await runWithUlimit("-Sn 256", [
      "load",
      "--json",
      "-c",
      "400",
      "--duration",
      "2",
      `${server.url}/events`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/warning/);
    const report = JSON.parse(result.stdout) as LoadReport;
    expect({ connected: report.connected, failed: report.connections.failed }).toEqual({
      connected: 400,
      failed: {},
    });
  });

  it("warns before starting when even the hard limit is too low, and reports what failed", async () => {
    const result = await runWithUlimit("-n 200", [
      "load",
      "--json",
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
    const report = JSON.parse(result.stdout) as LoadReport;
    expect(report.connections.failed.files).toBeGreaterThan(0);
    expect(report.warnings[0]).toMatch(/^warning: 300 clients need about 364 open files/);
  });
});

describe("load: event size", () => {
  it("an event larger than --max-event-size drops that client's stream (too-large)", async () => {
    const result = await runCli([
      "load",
      "--json",
      "-c",
      "2",
      "--duration",
      "1.5",
      "--max-event-size",
      "64KiB",
      `${server.url}/huge`,
    ]);
    const report = JSON.parse(result.stdout) as LoadReport;
    expect(report.events).toBe(0);
    expect(report.connections.dropped).toEqual({ "too-large": 2 });
  });
});
