/**
 * The library's `listen(url, options)` (src/listen/library.ts), in-process against real
 * servers on 127.0.0.1: events as an async iterable, with listen's request options and
 * reconnection; leaving the loop closes the connection; failures are thrown as SseToolError;
 * nothing is written to stdout or stderr and the process is never exited; a slow loop pauses
 * the reading of the response.
 */
import { mkdtemp, rm } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { SseToolError } from "../../src/errors.js";
import { type ListenEvent, listen } from "../../src/listen/library.js";
import { createFlood, floodBlockedFor } from "../helpers/flood-route.js";
import { sendChunks, startTestServer, type TestServer } from "../helpers/http-test-server.js";
import { readRecording, recordedBody } from "../helpers/recordings.js";

let server: TestServer;
/** Responses of /endless still open. */
const openStreams = new Set<ServerResponse>();
let dropsLeft = 0;
const flood = createFlood();

beforeAll(async () => {
  server = await startTestServer({
    "/two": sendChunks(['event: update\nid: 7\ndata: {"a":1}\n\ndata: plain\n\n']),
    "/endless": (_request, response) => {
      openStreams.add(response);
      response.on("close", () => openStreams.delete(response));
      response.writeHead(200, { "content-type": "text/event-stream" });
      let n = 0;
      const timer = setInterval(() => response.write(`id: ${++n}\ndata: tick ${n}\n\n`), 5);
      response.on("close", () => clearInterval(timer));
    },
    "/drops": (request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      const after = Number(request.headers["last-event-id"] ?? "0");
      if (dropsLeft > 0) {
        dropsLeft--;
        response.write(
          `retry: 20\nid: ${after + 1}\ndata: ${after + 1}\n\nid: ${after + 2}\ndata: ${after + 2}\n\n`,
        );
        setTimeout(() => response.socket?.destroy(), 20);
      } else {
        response.end(`id: ${after + 1}\ndata: ${after + 1}\n\n`);
      }
    },
    "/echo": (request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on("end", () => {
        response.writeHead(200, { "content-type": "text/event-stream" });
        const seen = { method: request.method, body, headers: request.headers };
        response.end(`data: ${JSON.stringify(seen)}\n\n`);
      });
    },
    "/missing": (_request, response) =>
      response
        .writeHead(404, { "content-type": "application/json" })
        .end('{"error":"no such stream"}'),
    "/html": (_request, response) =>
      response.writeHead(200, { "content-type": "text/html" }).end("<p>hi"),
    "/silent": (_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.flushHeaders();
    },
    "/flood": flood.route,
  });
});
afterAll(() => server.close());

const writes = {
  stdout: vi.spyOn(process.stdout, "write"),
  stderr: vi.spyOn(process.stderr, "write"),
};
const exits = vi.spyOn(process, "exit");
afterEach(() => {
  // Nothing any test here does may print or exit.
  expect(writes.stdout).not.toHaveBeenCalled();
  expect(writes.stderr).not.toHaveBeenCalled();
  expect(exits).not.toHaveBeenCalled();
  vi.clearAllMocks();
});

async function collect(iterable: AsyncIterable<ListenEvent>, count = Number.POSITIVE_INFINITY) {
  const events: ListenEvent[] = [];
  for await (const event of iterable) {
    events.push(event);
    if (events.length >= count) break;
  }
  return events;
}

/** The error the loop throws. */
async function failure(iterable: AsyncIterable<ListenEvent>): Promise<SseToolError> {
  try {
    await collect(iterable);
  } catch (error) {
    expect(error).toBeInstanceOf(SseToolError);
    return error as SseToolError;
  }
  throw new Error("the loop ended without an error");
}

describe("listen() from the library", () => {
  it("yields each event as { type, data, lastEventId } and ends with the stream", async () => {
    const events = await collect(listen(`${server.url}/two`, { reconnect: false }));
    expect(events).toEqual([
      { type: "update", data: '{"a":1}', lastEventId: "7" },
      { type: "message", data: "plain", lastEventId: "7" },
    ]);
  });

  it("reconnects with Last-Event-ID as the command line does: every event once", async () => {
    dropsLeft = 2;
    const logs: string[] = [];
    const events = await collect(
      listen(`${server.url}/drops`, { onLog: (line) => logs.push(line) }),
      5,
    );
    expect(events.map((event) => [event.lastEventId, event.data])).toEqual([
      ["1", "1"],
      ["2", "2"],
      ["3", "3"],
      ["4", "4"],
      ["5", "5"],
    ]);
    expect(logs.filter((line) => line.includes("reconnecting in"))).toHaveLength(2);
  });

  it("closes the connection when the loop is left", async () => {
    const events = await collect(listen(`${server.url}/endless`), 3);
    expect(events.map((event) => event.data)).toEqual(["tick 1", "tick 2", "tick 3"]);
    // The break has returned only once the run stopped and let go of the connection.
    await vi.waitFor(() => expect(openStreams.size).toBe(0), { timeout: 2000 });
  });

  it("ends the loop when the caller's signal aborts", async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    for await (const event of listen(`${server.url}/endless`, { signal: controller.signal })) {
      seen.push(event.data);
      if (seen.length === 2) controller.abort();
      expect(seen.length).toBeLessThan(50);
    }
    expect(seen.slice(0, 2)).toEqual(["tick 1", "tick 2"]);
    await vi.waitFor(() => expect(openStreams.size).toBe(0), { timeout: 2000 });
  });

  it("sends the request options: method, headers, a body taken as it is", async () => {
    const [event] = await collect(
      listen(`${server.url}/echo`, {
        headers: { "X-Trace": "t-1", "Cache-Control": "" },
        body: '@/etc/passwd is text, not a file: {"a":1}',
        reconnect: false,
      }),
    );
    const seen = JSON.parse(event!.data) as {
      method: string;
      body: string;
      headers: Record<string, string>;
    };
    expect(seen.method).toBe("POST");
    expect(seen.body).toBe('@/etc/passwd is text, not a file: {"a":1}');
    expect(seen.headers["x-trace"]).toBe("t-1");
    expect(seen.headers["cache-control"]).toBeUndefined();
    expect(seen.headers.accept).toBe("text/event-stream");
    const [json] = await collect(
      listen(`${server.url}/echo`, { body: new TextEncoder().encode('{"b":2}'), reconnect: false }),
    );
    expect(JSON.parse(json!.data)).toMatchObject({
      body: '{"b":2}',
      headers: { "content-type": "application/json" },
    });
  });

  it("throws an SseToolError with a code when the stream cannot be followed", async () => {
    const closedPort = await startTestServer({});
    const closedUrl = `${closedPort.url}/events`;
    await closedPort.close();
    expect((await failure(listen(closedUrl))).code).toBe("connect");
    const missing = await failure(listen(`${server.url}/missing`));
    expect(missing.code).toBe("http-status");
    expect(missing.message).toContain("HTTP 404 Not Found from");
    expect(missing.message).toContain("no such stream");
    expect((await failure(listen(`${server.url}/html`))).code).toBe("content-type");
    expect((await failure(listen(`${server.url}/silent`, { idleTimeout: 200 }))).code).toBe(
      "timeout",
    );
    expect((await failure(listen("ftp://example.com/"))).code).toBe("usage");
    expect(
      (await failure(listen(`${server.url}/two`, { headers: { "bad name": "x" } }))).code,
    ).toBe("usage");
  });

  it("a slow loop pauses the reading of the response: memory and reads stay bounded", async () => {
    const iterator = listen(`${server.url}/flood`)[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value?.data).toMatch(/^0123/);
    // The caller takes no more for a while; the server must stay blocked for 300 ms.
    await floodBlockedFor(flood, 300);
    expect(flood.sentBytes).toBeLessThan(16 * 1024 ** 2);
    await iterator.return?.();
  });

  it("writes a recording with `record`, as listen --record does", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sse-tool-library-record-"));
    try {
      const file = join(dir, "two.jsonl");
      await collect(listen(`${server.url}/two`, { reconnect: false, record: file }));
      const entries = await readRecording(file);
      expect(entries.map((entry) => entry.type)).toEqual([
        "recording",
        "request",
        "response",
        "chunk",
        "disconnect",
      ]);
      expect(recordedBody(entries).toString()).toBe(
        'event: update\nid: 7\ndata: {"a":1}\n\ndata: plain\n\n',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
