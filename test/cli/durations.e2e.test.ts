/**
 * Every time flag of every command takes a unit (`500ms`, `2s`, `1m`); a bare number keeps the
 * flag's own unit, said in its --help (issue 15). `--port` out of range is a usage error. The
 * built binary is spawned against servers started here.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli-process.js";
import { startTestServer, type TestServer } from "../helpers/http-test-server.js";
import { connectSse, startServeFor } from "../helpers/sse-client.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    "/once": (_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.end("data: one\n\n");
    },
    // Headers, then silence: only a timeout ends the run.
    "/silent": (_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.flushHeaders();
    },
  });
});
afterAll(() => server.close());

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe.concurrent("durations with units", () => {
  it("listen --timeout 300ms gives up after 0.3 s, not 300 s (exit 3)", async () => {
    const started = Date.now();
    const result = await runCli(["listen", "--timeout", "300ms", `${server.url}/silent`]);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain("timeout: --timeout 0.3 s elapsed");
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("listen --idle-timeout 0.2s and a bare --idle-timeout (seconds) both work", async () => {
    const withUnit = await runCli(["listen", "--idle-timeout", "200ms", `${server.url}/silent`]);
    expect(withUnit.code, withUnit.stderr).toBe(3);
    expect(withUnit.stderr).toContain("idle timeout: no data for 0.2 s");
    const bare = await runCli(["listen", "--idle-timeout", "0.2", `${server.url}/silent`]);
    expect(bare.code, bare.stderr).toBe(3);
    expect(bare.stderr).toContain("idle timeout: no data for 0.2 s");
  });

  it("listen --retry 1s waits a second before reconnecting, as --retry 1000 does", async () => {
    for (const retry of ["1s", "1000"]) {
      const result = await runCli(["listen", "--retry", retry, "-n", "2", `${server.url}/once`]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain("stream ended; reconnecting in 1.0 s");
    }
  });

  it("a bad duration is a usage error that names the flag's bare unit", async () => {
    const result = await runCli(["listen", "--timeout", "soon", `${server.url}/silent`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "option '--timeout <duration>' argument 'soon' is invalid. expected a duration such as 500ms, 2s or 1m (a bare number is seconds).",
    );
  });

  it("doctor --duration 500ms watches half a second and its help shows 10s", async () => {
    const result = await runCli([
      "doctor",
      "--json",
      "--duration",
      "500ms",
      `${server.url}/silent`,
    ]);
    expect(result.stderr).not.toContain("invalid");
    const report = JSON.parse(result.stdout) as { durationMs: number };
    expect(report.durationMs).toBeLessThan(2000);
    const help = await runCli(["doctor", "--help"]);
    expect(help.stdout).toMatch(/--duration <duration>[^\n]*\n?[^\n]*\(default: 10s\)/);
  });
});

// One at a time: afterEach stops the serve processes started by each test.
describe("serve durations with units", () => {
  it("serve --heartbeat 200ms sends a heartbeat within a second, not after 200 s", async () => {
    const serve = await startServeFor(cleanups, ["--heartbeat", "200ms", "--no-wait"], {
      stdin: undefined,
    });
    const connection = await connectSse(serve.url);
    await connection.waitUntil(() => connection.comments.length > 0, "a heartbeat", 5000);
    connection.close();
  });

  it("serve --interval 0.3s paces events 0.3 s apart", async () => {
    const serve = await startServeFor(cleanups, ["--interval", "0.3s"], {
      stdin: "a\nb\n",
    });
    const connection = await connectSse(serve.url);
    await connection.waitForEvents(2);
    const gap = connection.arrivalMs[1]! - connection.arrivalMs[0]!;
    expect(gap).toBeGreaterThanOrEqual(250);
    connection.close();
  });
});

describe.concurrent("--port", () => {
  it.each(["99999", "65536", "-1", "http"])(
    "serve --port %s is a usage error (exit 2)",
    async (port) => {
      const result = await runCli(["serve", "--port", port], { stdin: "" });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("expected a port number from 0 to 65535");
      expect(result.stderr).not.toContain("unexpected error");
    },
  );
});
