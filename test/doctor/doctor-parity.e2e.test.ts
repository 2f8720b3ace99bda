/**
 * `doctor` at parity with `listen`: the shared request options (--http2, --cacert,
 * --connect-timeout, -v, -u), the real watched time in the report, Ctrl-C printing the report so
 * far, and the heartbeat check on a busy stream. The built binary against servers started here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startCli } from "../helpers/cli-process.js";
import { type H2OnlyServer, startH2OnlyServer } from "../helpers/h2-only-server.js";
import { startTestServer, type TestServer } from "../helpers/http-test-server.js";
import {
  createTestCertificateChain,
  type TestCertificateChain,
} from "../helpers/tls-test-certificates.js";

interface Report {
  url: string;
  durationMs: number;
  events: number;
  checks: Array<{ id: string; status: string; reason: string }>;
}
/** Events written so far per request URL. */
const eventsSent = new Map<string, number>();
const check = (report: Report, id: string) => report.checks.find((c) => c.id === id);

let chain: TestCertificateChain;
let h2Server: H2OnlyServer;
let h2Url: string;
let server: TestServer;
beforeAll(async () => {
  chain = createTestCertificateChain();
  // HTTP/2 only: a client that does not offer h2 fails the TLS handshake.
  h2Server = await startH2OnlyServer(chain, (stream) => {
    stream.respond({
      ":status": 200,
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
    });
    stream.end("id: 1\ndata: over h2\n\n");
  });
  h2Url = `${h2Server.url}/events`;
  server = await startTestServer({
    // Accepts the request, never answers it.
    "/no-answer": () => {},
    // An event every 50 ms, never a comment: a server that heartbeats idle clients only.
    "/busy": (request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      let n = 0;
      const timer = setInterval(() => {
        response.write(`id: ${++n}\ndata: tick\n\n`);
        eventsSent.set(request.url ?? "", n);
      }, 50);
      response.on("close", () => clearInterval(timer));
    },
  });
});
afterAll(async () => {
  await h2Server.close();
  await server.close();
});

describe.concurrent("doctor takes listen's request options", () => {
  it("--http2 --cacert reach an HTTP/2-only server with a private CA", async () => {
    const without = await runCli(["doctor", "--json", "--duration", "1s", h2Url]);
    expect(check(JSON.parse(without.stdout), "connect")?.status).toBe("fail");
    const result = await runCli([
      "doctor",
      "--json",
      "--duration",
      "1s",
      "--http2",
      "--cacert",
      chain.caCertPath,
      h2Url,
    ]);
    const report = JSON.parse(result.stdout) as Report;
    expect(check(report, "connect")).toBeUndefined();
    expect(check(report, "status")?.status).toBe("pass");
    expect(report.events).toBe(1);
  });

  it("--connect-timeout 300ms gives up on a server that never answers, and says it watched 0.3 s", async () => {
    const started = Date.now();
    const result = await runCli([
      "doctor",
      "--duration",
      "20s",
      "--connect-timeout",
      "300ms",
      "--no-color",
      `${server.url}/no-answer`,
    ]);
    expect(result.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.stdout).toMatch(/\(watched 0\.[3-9] s|\(watched 1\.\d s/);
    expect(result.stdout).not.toContain("watched 20.0 s");
  });

  it("a refused connection is reported with the time it took, not --duration", async () => {
    const result = await runCli(["doctor", "--json", "--duration", "5s", "http://127.0.0.1:1/x"]);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.durationMs).toBeLessThan(2000);
  });

  it("-v shows the requests and response heads on stderr, credentials redacted", async () => {
    const result = await runCli([
      "doctor",
      "-v",
      "--duration",
      "500ms",
      "-u",
      "ada:s3cr3t",
      `http://127.0.0.1:${new URL(server.url).port}/busy`,
    ]);
    expect(result.stderr).toContain(`> GET ${server.url}/busy\n`);
    expect(result.stderr).toMatch(/> authorization: Basic \[redacted, \d+ characters\]\n/);
    expect(result.stderr).toContain("< HTTP/1.1 200 OK\n");
    expect(result.stderr).toContain("< content-type: text/event-stream\n");
    // The resume test's request too, with its Last-Event-ID.
    expect(result.stderr).toMatch(/> last-event-id: \d+\n/);
    expect(result.stderr + result.stdout).not.toContain("s3cr3t");
  });

  it("the heartbeat check on a busy stream says it could not be judged", async () => {
    const result = await runCli(["doctor", "--json", "--duration", "1s", `${server.url}/busy`]);
    const heartbeat = check(JSON.parse(result.stdout), "heartbeat");
    expect(heartbeat?.status).toBe("skip");
    expect(heartbeat?.reason).toMatch(/^could not be judged/);
  });

  it("Ctrl-C prints the report of what was seen so far (exit 130)", async () => {
    const started = Date.now();
    const doctor = startCli(["doctor", "--json", "--duration", "60s", `${server.url}/busy?ctrl-c`]);
    // Interrupted once the watch is under way: a few events written to it.
    while ((eventsSent.get("/busy?ctrl-c") ?? 0) < 5) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    doctor.kill("SIGINT");
    const result = await doctor.exited;
    expect(result.code).toBe(130);
    expect(Date.now() - started).toBeLessThan(20_000);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.events).toBeGreaterThan(0);
    expect(report.durationMs).toBeLessThan(30_000);
    expect(check(report, "resume")?.reason).toContain("interrupted");
  });
});
