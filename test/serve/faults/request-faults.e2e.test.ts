/**
 * Faults chosen by the request (`SSE-Tool-Fault` header, `?sse-tool-fault=`) against one
 * library server shared by clients running at once: each stream gets the faults its own
 * request asked for, and no other client is touched. A bad spec is a 400 that says why.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { listen } from "../../../src/listen/library.js";
import { startServer } from "../../../src/serve/library.js";
import type { RunningServer, ServerOptions } from "../../../src/serve/library-options.js";
import { connectSse } from "../../helpers/sse-client.js";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const count = 6;
const dataOf = (n: number) => `Grüße 👋 event ${n}`;
const everyEvent = Array.from({ length: count }, (_, index) => dataOf(index + 1));

/** A server with `count` events, numbered and kept, sent to each new client; quick retries. */
async function sharedServer(options: ServerOptions = {}, logs: string[] = []) {
  const server = await startServer({
    ids: true,
    replayHistory: true,
    retry: 50,
    heartbeat: 0,
    onLog: (line) => logs.push(line),
    ...options,
  });
  cleanups.push(() => server.close());
  for (let n = 1; n <= count; n++) server.publish({ data: dataOf(n) });
  return server;
}

/** Every event once, through `listen()` with its reconnects; stops after the last one. */
async function readAll(url: string, headers: Record<string, string> = {}): Promise<string[]> {
  const seen: string[] = [];
  for await (const event of listen(url, { headers, retry: 50 })) {
    seen.push(event.data);
    if (seen.length === count) break;
  }
  return seen;
}

/** How request `seq` ended, once the server saw it end. */
async function endOf(server: RunningServer, seq: number) {
  const ended = await server.waitForRequest(
    (request) => request.seq === seq && request.ended !== undefined,
  );
  return ended.ended;
}

function specWith(server: RunningServer, spec: string): string {
  const url = new URL(server.url);
  url.searchParams.set("sse-tool-fault", spec);
  return url.href;
}

describe("a fault chosen by the request", () => {
  it("cuts only the stream that asked (header), while a client without one at the same time streams on", async () => {
    const server = await sharedServer();
    const [faulty, plain] = await Promise.all([
      connectSse(server.url, { "SSE-Tool-Fault": "drop-after=2" }),
      connectSse(server.url),
    ]);
    await faulty.closed;
    expect(faulty.events.map((event) => event.data)).toEqual(everyEvent.slice(0, 2));
    await plain.waitForEvents(count);
    expect(plain.events.map((event) => event.data)).toEqual(everyEvent);
    // The plain stream is still open after the faulty one was cut: a new event reaches it.
    server.publish({ data: "one more" });
    await plain.waitForEvents(count + 1);
    plain.close();
    // The server learns the cut connection closed a moment after the client does.
    const cut = await server.waitForRequest(
      (request) => request.faults === "drop-after=2" && request.ended !== undefined,
    );
    expect(cut.ended).toBe("cut");
    expect(server.requests.filter((request) => request.faults !== undefined)).toHaveLength(1);
  });

  it("two tests at once through listen(): the faulty one resumes after each cut, the other never reconnects", async () => {
    const server = await sharedServer();
    const [faulty, plain] = await Promise.all([
      readAll(server.url, { "SSE-Tool-Fault": "drop-after=2, key=test-a" }),
      readAll(server.url),
    ]);
    expect(faulty).toEqual(everyEvent);
    expect(plain).toEqual(everyEvent);
    const requests = server.requests;
    const withFault = requests.filter((request) => request.faults !== undefined);
    const without = requests.filter((request) => request.faults === undefined);
    // Cut after events 2 and 4; the third connection has 2 left and is not cut.
    expect(withFault.map((request) => request.lastEventId)).toEqual([undefined, "2", "4"]);
    const ends = await Promise.all(
      withFault.slice(0, 2).map((request) => endOf(server, request.seq)),
    );
    expect(ends).toEqual(["cut", "cut"]);
    expect(without).toHaveLength(1);
    expect(without[0]!.lastEventId).toBeUndefined();
  });

  it("in the query (what EventSource can send): fail-first counts per key across reconnects", async () => {
    const logs: string[] = [];
    const server = await sharedServer({}, logs);
    const url = specWith(server, "fail-first=2, fail-status=502, key=app-1");
    const statuses = [];
    for (let n = 0; n < 3; n++) statuses.push((await fetch(url, { method: "HEAD" })).status);
    // HEAD is not the stream's method; GET is: count with real stream requests.
    expect(statuses.every((status) => status === 405)).toBe(true);
    const answers: number[] = [];
    for (let n = 0; n < 3; n++) {
      const connection = await connectSse(url);
      answers.push(connection.status);
      connection.close();
    }
    expect(answers).toEqual([502, 502, 200]);
    // Another key has its own count; a request without a spec is never failed.
    const other = await connectSse(specWith(server, "fail-first=1, key=app-2"));
    expect(other.status).toBe(503);
    other.close();
    const plain = await connectSse(server.url);
    expect(plain.status).toBe(200);
    plain.close();
    expect(logs.filter((line) => line.includes('fail-first 2 (key "app-1")'))).toHaveLength(2);
    // The stream that was let through says which spec it came with.
    expect(
      logs.some((line) =>
        / connected .*\(faults "fail-first=2, fail-status=502, key=app-1"\)$/.test(line),
      ),
    ).toBe(true);
  });

  it("times=1: the first connection of the key gets the fault, its reconnect streams clean", async () => {
    const server = await sharedServer();
    const url = specWith(server, "drop-after=2,times=1,key=once");
    expect(await readAll(url)).toEqual(everyEvent);
    const requests = server.requests.filter((request) => request.faults !== undefined);
    expect(requests.map((request) => request.lastEventId)).toEqual([undefined, "2"]);
    expect(await endOf(server, requests[0]!.seq)).toBe("cut");
  });

  it("none: a stream without the server's own faults, while the others keep them", async () => {
    const server = await sharedServer({ dropAfter: 1 });
    const [spared, faulty] = await Promise.all([
      connectSse(server.url, { "sse-tool-fault": "none" }),
      connectSse(server.url),
    ]);
    await faulty.closed;
    expect(faulty.events).toHaveLength(1);
    await spared.waitForEvents(count);
    spared.close();
  });

  it("latency per request holds that stream's head only", async () => {
    const server = await sharedServer();
    const started = performance.now();
    const slow = connectSse(server.url, { "SSE-Tool-Fault": "latency=800ms" });
    const quick = await connectSse(server.url);
    await quick.waitForEvents(count);
    const quickMs = performance.now() - started;
    const held = await slow;
    await held.waitForEvents(count);
    expect(held.arrivalMs[0]! - started).toBeGreaterThanOrEqual(790);
    // The quick one did not wait behind the slow one's latency.
    expect(quickMs).toBeLessThan(held.arrivalMs[0]! - started);
    held.close();
    quick.close();
  });

  it("chunk-split per request: the stream arrives in 1-byte pieces and decodes the same", async () => {
    const server = await sharedServer();
    const split = await connectSse(server.url, { "SSE-Tool-Fault": "chunk-split=1" });
    await split.waitForEvents(count);
    expect(split.events.map((event) => event.data)).toEqual(everyEvent);
    split.close();
  });
});

describe("speed chosen by the request, on a replaying server", () => {
  it("plays one client's replay at full speed while another gets the recorded pace", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sse-tool-request-speed-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const recording = join(dir, "stream.jsonl");
    const lines = [
      { type: "recording", version: 1, started: "2026-12-01T10:00:00.000Z", tool: "sse-tool" },
      { type: "request", t: 0, method: "GET", url: "http://origin.test/events", headers: {} },
      {
        type: "response",
        t: 5,
        status: 200,
        statusText: "OK",
        url: "http://origin.test/events",
        headers: { "content-type": "text/event-stream" },
      },
      { type: "chunk", t: 10, text: "data: one\n\n" },
      { type: "chunk", t: 1200, text: "data: two\n\n" },
      { type: "disconnect", t: 1210, reason: "ended", detail: "" },
    ];
    await writeFile(recording, `${lines.map((line) => JSON.stringify(line)).join("\n")}\n`);
    const server = await startServer({ replay: recording, heartbeat: 0 });
    cleanups.push(() => server.close());
    const started = performance.now();
    const [fast, paced] = await Promise.all([
      connectSse(server.url, { "SSE-Tool-Fault": "speed=max" }),
      connectSse(server.url),
    ]);
    await fast.closed;
    const fastDoneMs = performance.now() - started;
    expect(fast.events.map((event) => event.data)).toEqual(["one", "two"]);
    await paced.waitForEvents(2);
    expect(paced.arrivalMs[1]! - started).toBeGreaterThanOrEqual(1100);
    expect(fastDoneMs).toBeLessThan(paced.arrivalMs[1]! - started);
    paced.close();
  });
});

describe("a bad fault spec", () => {
  const cases: Array<[string, Record<string, string>, string, RegExp]> = [
    [
      "a value that is not a number",
      { "sse-tool-fault": "drop-after=x" },
      "",
      /drop-after: expected a whole number/,
    ],
    [
      "an unknown fault",
      { "sse-tool-fault": "explode=1" },
      "",
      /unknown fault "explode" \(known: drop-after/,
    ],
    [
      "a spec over the length bound",
      { "sse-tool-fault": "latency=1ms,".repeat(50) },
      "",
      /over 512 characters/,
    ],
    [
      "stall-after without stall-for",
      { "sse-tool-fault": "stall-after=2" },
      "",
      /stall-after and stall-for go together/,
    ],
    [
      "the query parameter twice",
      {},
      "?sse-tool-fault=latency%3D1ms&sse-tool-fault=none",
      /give sse-tool-fault once/,
    ],
    [
      "both header and query",
      { "sse-tool-fault": "latency=1ms" },
      "?sse-tool-fault=latency%3D1ms",
      /header or in the query, not both/,
    ],
    [
      "speed on a server that is not replaying",
      {},
      "?sse-tool-fault=speed%3D2",
      /speed applies to a replaying server/,
    ],
  ];
  it.each(cases)("is a 400 saying why: %s", async (_name, headers, query, message) => {
    const server = await sharedServer();
    const response = await fetch(`${server.url}${query}`, { headers });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toMatch(/^bad sse-tool-fault spec: /);
    expect(text).toMatch(message);
    expect(server.clientCount).toBe(0);
  });
});
