/**
 * `doctor` (and `listen --stats` beside it) on hostile streams: behind a buffering proxy it
 * keeps to --duration and names the likely cause; what a server sends reaches the terminal
 * escaped; JSON 10,000 levels deep is just data. A long watch's memory: long-watch.system.
 */
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckResult } from "../../src/doctor/checks/result.js";
import { runCli } from "../helpers/cli-process.js";
import {
  eventStreamHeaders,
  sendChunks,
  startTestServer,
  type TestServer,
} from "../helpers/http-test-server.js";
import { type BufferingProxy, startBufferingProxy } from "../helpers/proxies.js";
import { runInTerminal, withoutOwnSequences } from "../helpers/terminal-run.js";

const evilId = "7\x1b]52;c;cHduZWQ=\x07\x1b]0;owned\x07\u202e\u200b";

/** A low-rate stream: a heartbeat comment every 100 ms (about 60 B/s), nothing else. */
function heartbeats(_request: unknown, response: ServerResponse): void {
  response.writeHead(200, eventStreamHeaders);
  const timer = setInterval(() => response.write(": ping\n\n"), 100);
  response.on("close", () => clearInterval(timer));
}

const depth = 10_000;
const deepArray = `${"[".repeat(depth)}${"]".repeat(depth)}`;

let server: TestServer;
let bufferingProxy: BufferingProxy;
beforeAll(async () => {
  server = await startTestServer({
    "/heartbeats": heartbeats,
    "/evil": sendChunks([`id: ${evilId}\ndata: x\n\n`]),
    "/deep": sendChunks([`id: 1\ndata: ${deepArray}\n\nid: 2\ndata: ${deepArray}\n\n`]),
  });
  // nginx's default proxy buffers are 8 x 4 KiB; this holds 16 KiB, headers included.
  bufferingProxy = await startBufferingProxy(server.url, 16 * 1024);
});
afterAll(async () => {
  await Promise.all([server.close(), bufferingProxy.close()]);
});

describe.concurrent("doctor behind a buffering proxy on a low-rate stream", () => {
  it("keeps to --duration and names the likely cause", async () => {
    const result = await runCli([
      "doctor",
      "--json",
      "--duration",
      "2",
      `${bufferingProxy.url}/heartbeats?from=doctor`,
    ]);
    expect(result.code).toBe(1);
    // 2 s of watching, measured at the proxy (start-up not counted), not the connect timeout.
    const heldOpenMs = await bufferingProxy.heldOpenMs("/heartbeats?from=doctor");
    expect(heldOpenMs).toBeGreaterThan(1900);
    expect(heldOpenMs).toBeLessThan(2000 + 3000);
    const report = JSON.parse(result.stdout) as { checks: CheckResult[] };
    const connect = report.checks.find((check) => check.id === "connect");
    expect(connect?.status).toBe("fail");
    expect(connect?.reason).toMatch(
      /connected, but no response headers within 2\.0 s: .*buffering proxy/,
    );
    expect(connect?.fix).toMatch(/X-Accel-Buffering: no/);
  });

  it("a proxy that is down is named, not the target", async () => {
    const result = await runCli([
      "doctor",
      "--json",
      "--proxy",
      "http://127.0.0.1:9",
      `${server.url}/evil`,
    ]);
    const report = JSON.parse(result.stdout) as { checks: CheckResult[] };
    expect(report.checks[0]?.reason).toBe(
      `could not connect: proxy http://127.0.0.1:9 (for ${new URL(server.url).host}): connection refused`,
    );
  });

  it("listen's header timeout says the same", async () => {
    const result = await runCli([
      "listen",
      "--connect-timeout",
      "1",
      `${bufferingProxy.url}/heartbeats`,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^sse-tool: no response from 127\.0\.0\.1:\d+: no response headers within 1 s \(a buffering proxy.*\)\n$/,
    );
  });
});

describe.concurrent("doctor on a terminal", () => {
  const raw =
    /[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;

  it("the progress line and the report show a hostile id escaped", async () => {
    const result = await runInTerminal(["doctor", "--duration", "0.5", `${server.url}/evil`]);
    const left = withoutOwnSequences(result.screen);
    expect(raw.exec(left)).toBeNull();
    // The resume test's progress line, then the ids check.
    expect(left).toContain("reconnecting with Last-Event-ID: 7\\x1b]52;c;cHduZWQ=\\x07");
    expect(left).toContain("(last: 7\\x1b]52;c;cHduZWQ=\\x07\\x1b]0;owned\\x07\\u202e\\u200b)");
  });

  it("an --origin holding control characters is a usage error, quoted escaped", async () => {
    const result = await runInTerminal([
      "doctor",
      "--origin",
      "https://app\x1b]0;owned\x07.test",
      `${server.url}/evil`,
    ]);
    expect(result.code).toBe(2);
    expect(raw.exec(withoutOwnSequences(result.screen))).toBeNull();
  });

  it("--json: still JSON, escaped as \\uXXXX", async () => {
    const result = await runInTerminal([
      "doctor",
      "--json",
      "--duration",
      "0.5",
      `${server.url}/evil`,
    ]);
    const left = withoutOwnSequences(result.screen);
    expect(raw.exec(left)).toBeNull();
    const report = JSON.parse(left.slice(left.indexOf("{")).trim()) as { checks: CheckResult[] };
    const ids = report.checks.find((check) => check.id === "ids");
    expect(ids?.reason).toContain(evilId);
  });
});

describe.concurrent("JSON 10,000 levels deep", () => {
  it("doctor and --stats read it as the data it is", async () => {
    const doctor = await runCli(["doctor", "--json", "--duration", "0.5", `${server.url}/deep`]);
    expect(doctor.stderr).not.toMatch(/call stack|RangeError|unexpected error/i);
    expect((JSON.parse(doctor.stdout) as { events: number }).events).toBe(2);
    const stats = await runCli(["listen", "--stats", "--no-reconnect", `${server.url}/deep`]);
    expect(stats.code, stats.stderr).toBe(0);
    expect(stats.stderr).toMatch(/stats: 2 events/);
  });
});
