import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckResult } from "../../src/doctor/checks/result.js";
import { binPath, runCli } from "../helpers/cli-process.js";
import { startTestServer, type TestServer } from "../helpers/http-test-server.js";
import { type StreamFaults, streamRoute } from "./doctor-test-server.js";

interface Report {
  ok: boolean;
  events: number;
  checks: CheckResult[];
}

const origin = "http://app.test";

/**
 * Each fault route and the one check (id, status) doctor must name for it, and any options of
 * its own.
 */
const faults: Array<
  [route: string, faults: StreamFaults, check: string, status: string, extra?: string[]]
> = [
  ["/status-500", { status: 500 }, "status", "fail"],
  ["/json-type", { contentType: "application/json" }, "content-type", "fail"],
  ["/gzip", { gzip: true }, "compression", "warn"],
  ["/no-cache-control", { cacheControl: null }, "cache-control", "warn"],
  [
    "/no-accel-buffering",
    // One event: too few to see it flow, so nginx's Server header is all there is to judge by.
    { accelBuffering: null, quiet: true, extraHeaders: { server: "nginx/1.27.0" } },
    "proxy-buffering",
    "warn",
  ],
  ["/no-cors", { cors: null }, "cors", "fail"],
  // Watched for 2.5 s: four flushes, room for a busy machine to see at least one after silence.
  ["/buffered", { bufferFlushMs: 500 }, "bursts", "warn", ["--duration", "2.5"]],
  ["/no-ids", { noIds: true }, "ids", "warn"],
  ["/resume-repeats", { ignoreLastEventId: true }, "resume", "fail"],
  ["/no-retry", { noRetry: true }, "retry", "warn"],
  ["/mixed-line-endings", { mixedLineEndings: true }, "line-endings", "warn"],
  ["/big-line", { bigLineBytes: 70 * 1024 }, "event-size", "warn"],
];

let server: TestServer;

beforeAll(async () => {
  const routes: Record<string, ReturnType<typeof streamRoute>> = {
    "/good": streamRoute(),
    "/good-resume": streamRoute(),
    "/body-scalar": streamRoute(),
    "/body-object": streamRoute(),
    // Events every 100 ms and no heartbeat: heartbeats go to idle clients, nothing to judge.
    "/no-heartbeat": streamRoute({ noHeartbeat: true }),
    "/hostile-id": (_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.end("id: 7\u001b]0;pwned\u0007\ndata: x\n\n");
    },
  };
  for (const [route, streamFaults] of faults) routes[route] = streamRoute(streamFaults);
  server = await startTestServer(routes);
});

afterAll(async () => {
  await server.close();
});

async function doctor(route: string, extra: string[] = []) {
  const result = await runCli([
    "doctor",
    "--json",
    "--duration",
    "1.2",
    "--origin",
    origin,
    ...extra,
    `${server.url}${route}`,
  ]);
  const report = JSON.parse(result.stdout) as Report;
  const problems = report.checks
    .filter((check) => check.status === "warn" || check.status === "fail")
    .map((check) => `${check.id}:${check.status}`);
  return { result, report, problems };
}

// Each test runs its own doctor process against its own route, so they can run side by side.
describe.concurrent("sse-tool doctor", () => {
  it("a well-behaved stream passes every check (exit 0)", async () => {
    const { result, report, problems } = await doctor("/good");
    expect(problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.events).toBeGreaterThan(3);
    expect(result.code).toBe(0);
    const resume = report.checks.find((check) => check.id === "resume");
    expect(resume?.reason).toMatch(/resumed after Last-Event-ID: \d+ with id \d+, no repeats/);
  });

  it("the resume test sends Last-Event-ID with the last id seen", async () => {
    await doctor("/good-resume");
    const sent = server.requests
      .filter((request) => request.url === "/good-resume")
      .map((request) => request.headers["last-event-id"]);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toBeUndefined();
    expect(sent[1]).toMatch(/^\d+$/);
  });

  it("-d sends Content-Type: application/json for a JSON object, not for a bare scalar", async () => {
    await Promise.all([
      runCli(["doctor", "--duration", "0.2", "-d", "42", `${server.url}/body-scalar`]),
      runCli(["doctor", "--duration", "0.2", "-d", '{"a":1}', `${server.url}/body-object`]),
    ]);
    const firstRequest = (url: string) => server.requests.find((request) => request.url === url);
    expect(firstRequest("/body-scalar")?.method).toBe("POST");
    expect(firstRequest("/body-scalar")?.headers["content-type"]).toBeUndefined();
    expect(firstRequest("/body-object")?.headers["content-type"]).toBe("application/json");
  });

  it("on a terminal, the progress line shows a server's id escaped, never raw", async () => {
    // `script` gives doctor a terminal for stderr (the progress line is only drawn on one).
    const command = `${process.execPath} ${binPath} doctor --duration 0.2 ${server.url}/hostile-id`;
    // Exit 1 (checks fail on this stream) is not the point here: what the terminal got is.
    const { stdout } = await promisify(execFile)("script", ["-qec", command, "/dev/null"]).catch(
      (error: { stdout: string }) => error,
    );
    expect(stdout).toContain("reconnecting with Last-Event-ID: 7\\x1b]0;pwned\\x07");
    expect(stdout).not.toContain("\u001b]0;pwned");
  });

  describe("names exactly the fault", () => {
    it.each(faults)("%s -> %s", async (route, _faults, check, status, extra) => {
      const { result, problems } = await doctor(route, extra);
      expect(problems).toEqual([`${check}:${status}`]);
      expect(result.code).toBe(status === "fail" ? 1 : 0);
    });
  });

  it("no heartbeat on a busy stream is no warning: it could not be judged", async () => {
    const { report, problems } = await doctor("/no-heartbeat");
    expect(problems).toEqual([]);
    const heartbeat = report.checks.find((check) => check.id === "heartbeat");
    expect(heartbeat?.status).toBe("skip");
    expect(heartbeat?.reason).toMatch(/^could not be judged/);
  });

  it("the pretty report names each check with a fix for problems", async () => {
    const result = await runCli(["doctor", "--duration", "1", `${server.url}/no-retry`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/WARN {2}retry +no retry: field/);
    expect(result.stdout).toMatch(/fix: send retry: <ms>/);
    expect(result.stdout).toMatch(/SKIP {2}cors +no --origin given/);
    expect(result.stdout).toMatch(/\d+ passed, 1 warning, 0 failed, 1 skipped/);
    // No colour codes when stdout is not a terminal.
    expect(result.stdout).not.toContain("\u001b[");
  });

  it("a refused connection is one failed check (exit 1)", async () => {
    const closed = await startTestServer({});
    const url = `${closed.url}/events`;
    await closed.close();
    const result = await runCli(["doctor", "--json", "--duration", "1", url]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.checks.map((check) => [check.id, check.status])).toEqual([["connect", "fail"]]);
    expect(report.checks[0]?.reason).toContain("connection refused");
  });

  it("rejects a bad --duration as a usage error (exit 2)", async () => {
    const result = await runCli(["doctor", "--duration", "soon", `${server.url}/good`]);
    expect(result.code).toBe(2);
  });
});
