/** --expect-event, --expect-count, --until-event (exit 4 when they fail) and --stats. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli-process.js";
import { startTestServer, type TestServer } from "../helpers/http-test-server.js";

/** "ready", then ticks every 10 ms, "done" after the fifth, more ticks; never ends. */
function ticking(_request: IncomingMessage, response: ServerResponse) {
  response.writeHead(200, { "content-type": "text/event-stream" });
  response.write("event: ready\ndata: go\n\n");
  let n = 0;
  const timer = setInterval(() => {
    n++;
    response.write(`id: ${n}\nevent: tick\ndata: ${n}\n\n`);
    if (n === 5) response.write("event: done\ndata: {}\n\n");
  }, 10);
  response.on("close", () => clearInterval(timer));
}

/** Two events, then the stream ends. */
function short(_request: IncomingMessage, response: ServerResponse) {
  response.writeHead(200, { "content-type": "text/event-stream" });
  response.end("event: a\ndata: 1\n\nevent: b\ndata: 2\n\n");
}

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ "/ticking": ticking, "/short": short });
});

afterAll(async () => {
  await server.close();
});

describe.concurrent("assertions for CI", () => {
  it("--expect-event: exits 0 as soon as every expected event was seen", async () => {
    const result = await runCli([
      "listen",
      "--json",
      "--expect-event",
      "ready",
      "--expect-event",
      "done",
      "--timeout",
      "10",
      `${server.url}/ticking`,
    ]);
    expect(result.code).toBe(0);
    const types = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line).event);
    expect(types.at(-1)).toBe("done");
  });

  it("--expect-event missing when the stream ends: exit 4 naming it", async () => {
    const result = await runCli([
      "listen",
      "--no-reconnect",
      "--expect-event",
      "done",
      `${server.url}/short`,
    ]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(
      'sse-tool: expectation failed: --expect-event "done" not seen (2 events seen: a ×1, b ×1)',
    );
  });

  it("--expect-event missing at --timeout: exit 4, not 3", async () => {
    const result = await runCli([
      "listen",
      "--expect-event",
      "never",
      "--timeout",
      "0.3",
      `${server.url}/ticking`,
    ]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('--expect-event "never" not seen');
  });

  it("--until-event: stops right after it with exit 0", async () => {
    const result = await runCli([
      "listen",
      "--json",
      "--until-event",
      "done",
      `${server.url}/ticking`,
    ]);
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(events.map((event) => event.event)).toEqual([
      "ready",
      "tick",
      "tick",
      "tick",
      "tick",
      "tick",
      "done",
    ]);
  });

  it("--until-event never seen before the stream ends: exit 4", async () => {
    const result = await runCli([
      "listen",
      "--no-reconnect",
      "--until-event",
      "z",
      `${server.url}/short`,
    ]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('--until-event "z" not seen before the stream ended');
  });

  it("--expect-count: met exits 0; short exits 4 with the count", async () => {
    const met = await runCli([
      "listen",
      "--expect-count",
      "4",
      "--timeout",
      "10",
      `${server.url}/ticking`,
    ]);
    expect(met.code).toBe(0);
    const short = await runCli([
      "listen",
      "--no-reconnect",
      "--expect-count",
      "3",
      `${server.url}/short`,
    ]);
    expect(short.code).toBe(4);
    expect(short.stderr).toContain("--expect-count 3: only 2 event(s)");
  });

  it("--stats: a block on stderr with counts per type, rate, bytes, percentiles", async () => {
    const result = await runCli([
      "listen",
      "--stats",
      "--json",
      "--until-event",
      "done",
      `${server.url}/ticking`,
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /stats: 7 events in [\d.]+ m?s \([\d.]+\/s\), \d+ B, 0 reconnects/,
    );
    expect(result.stderr).toMatch(/inter-arrival p50 [\d.]+ m?s, p99 [\d.]+ m?s/);
    expect(result.stderr).toMatch(/ {2}tick {3}5\n {2}done {3}1\n {2}ready {2}1/);
    // stdout stays data only.
    expect(result.stdout).not.toContain("stats:");
  });
});
