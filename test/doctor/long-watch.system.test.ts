/**
 * A long watch of small events with unique ids keeps `doctor`'s and `listen --stats`'s
 * memory bounded: summaries, not every id, type and gap. Memory is the child's peak RSS as
 * measured by GNU time (`/usr/bin/time -f %M`, Debian's `time` package, not on every fresh
 * machine: hence a system test), not a self-report. And a long watch of a quiet stream (for an
 * idle cut) says how it goes on stderr, and Ctrl-C gives the report so far.
 */
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckResult } from "../../src/doctor/checks/result.js";
import { startCli } from "../helpers/cli-process.js";
import {
  eventStreamHeaders,
  startTestServer,
  type TestServer,
} from "../helpers/http-test-server.js";
import { runMeasured } from "../helpers/measured-run.js";

const MiB = 1024 * 1024;
const longWatchBytes = 256 * MiB;

/**
 * About `longWatchBytes` of small events, each with a unique 36-character id and one of 5,000
 * types, as fast as the client reads; a reconnect (the resume test) gets 204.
 */
function longWatch(request: { headers: Record<string, unknown> }, response: ServerResponse): void {
  if (request.headers["last-event-id"] !== undefined) return void response.writeHead(204).end();
  response.writeHead(200, eventStreamHeaders);
  let sent = 0;
  let seq = 0;
  const pump = () => {
    while (sent < longWatchBytes && !response.destroyed) {
      let block = "";
      for (let i = 0; i < 1000; i++) {
        seq++;
        const id = `${seq.toString(16).padStart(12, "0")}-4e1f-8a2b-${"c".repeat(12)}`;
        block += `id: ${id}\nevent: type-${seq % 5000}\ndata: {"n":${seq}}\n\n`;
      }
      sent += block.length;
      if (!response.write(block)) return void response.once("drain", pump);
    }
    if (!response.destroyed) response.end();
  };
  pump();
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    "/long": longWatch as never,
    "/quiet": (_request, response) => {
      response.writeHead(200, eventStreamHeaders);
      response.write("id: 1\ndata: one\n\n");
    },
  });
});
afterAll(() => server.close());

describe("a long watch keeps memory bounded", () => {
  // Millions of small events with unique ids: keeping every event, id or gap (or the chunk a kept
  // id pins) would grow with the watch; the bounds leave room for V8's uncollected garbage.

  it("doctor", async () => {
    const result = await runMeasured([
      "doctor",
      "--json",
      "--duration",
      "120",
      `${server.url}/long`,
    ]);
    const report = JSON.parse(result.stdout) as { events: number; checks: CheckResult[] };
    expect(report.events).toBeGreaterThan(3_000_000);
    expect(report.checks.find((check) => check.id === "ids")?.status).toBe("pass");
    expect(result.peakRssKiB / 1024).toBeLessThan(250);
  }, 180_000);

  it("listen --stats", async () => {
    const result = await runMeasured([
      "listen",
      "--stats",
      "--no-reconnect",
      "-e",
      "none",
      `${server.url}/long`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/stats: \d{7,} events/);
    // 20 listed, 980 more counted by name, and the rest together.
    expect(result.stderr).toContain("(981+ more types)");
    expect(result.peakRssKiB / 1024).toBeLessThan(170);
  }, 180_000);
});

describe("a long watch of a quiet stream", () => {
  it("progress on stderr in a log; Ctrl-C: the report so far, nothing cut yet (exit 130)", async () => {
    const doctor = startCli(["doctor", "--json", "--duration", "5m", `${server.url}/quiet`], {
      killAfterMs: 60_000,
    });
    const line = await doctor.waitForStderr(
      /watched \d+ s of 300 s: 1 event, quiet for \d+ s\n/,
      40_000,
    );
    expect(line).toMatch(
      /^sse-tool doctor: watched 1[5-9] s of 300 s: 1 event, quiet for 1[4-9] s$/m,
    );
    doctor.kill("SIGINT");
    const result = await doctor.exited;
    expect(result.code).toBe(130);
    const report = JSON.parse(result.stdout) as { checks: CheckResult[] };
    const idleCut = report.checks.find((check) => check.id === "idle-cut");
    expect(idleCut?.status).toBe("pass");
    expect(idleCut?.reason).toMatch(
      /^stayed open for the whole watch \(1\d\.\d s; longest silence 1\d\.\d s\)/,
    );
  }, 60_000);
});
