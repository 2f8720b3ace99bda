/**
 * The HTTP server of `serve` (src/serve/server.ts) in process, on 127.0.0.1 port 0, with raw
 * sockets: what goes on the wire for HTTP/1.0 and HTTP/1.1 clients, two servers in one process
 * framing their own bytes, and route handlers that fail.
 */
import { afterEach, describe, expect, it } from "vitest";
import { BroadcastHub } from "../../../src/serve/feeds/hub.js";
import { SseServer, type SseServerOptions } from "../../../src/serve/http/sse-server.js";
import { httpRequestText, rawConnect, rawRequest } from "../../helpers/raw-http.js";
import { connectSse } from "../../helpers/sse-client.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function startServer(options: Partial<SseServerOptions> = {}) {
  const hub = new BroadcastHub({ historySize: 100, maxClientBufferBytes: 1024 ** 2 });
  const warnings: string[] = [];
  const server = new SseServer({
    hub,
    host: "127.0.0.1",
    port: 0,
    streamPath: "/events",
    heartbeatMs: 0,
    log: () => {},
    warn: (message) => warnings.push(message),
    ...options,
  });
  const url = await server.listen();
  closers.push(() => server.close(1_000));
  return { hub, server, url, origin: new URL(url).origin, warnings };
}

/** Waits until `check` holds, each time something happened on the event loop. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
}

describe("wire format", () => {
  it("an HTTP/1.0 client (nginx's default upstream protocol) gets the bare stream, no chunk-size lines, ended by close", async () => {
    const { hub, server, origin } = await startServer();
    const socket = await rawConnect(origin);
    let text = "";
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
    });
    const closed = new Promise((resolve) => socket.on("close", resolve));
    socket.write("GET /events HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    await until(() => server.clientCount === 1);
    hub.publish([{ data: "one", id: "1" }]);
    hub.publish([{ event: "two", data: "a\nb" }]);
    await until(() => text.includes("data: b\n\n"));
    await server.close(1_000);
    await closed;
    const [head = "", body] = text.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).not.toMatch(/transfer-encoding/i);
    expect(head).toMatch(/\r\nConnection: close/i);
    expect(head).not.toMatch(/keep-alive/i);
    expect(body).toBe("id: 1\ndata: one\n\nevent: two\ndata: a\ndata: b\n\n");
  });

  it("an HTTP/1.1 client gets the same events as chunks, and the last chunk at the end", async () => {
    const { hub, server, origin } = await startServer();
    const answer = rawRequest(
      origin,
      httpRequestText("GET", "/events", { Host: "127.0.0.1", Connection: "keep-alive" }),
      (text) => text.endsWith("0\r\n\r\n"),
    );
    await until(() => server.clientCount === 1);
    hub.publish([{ data: "one", id: "1" }]);
    await server.close(1_000);
    const { headers, body } = await answer;
    expect(headers["transfer-encoding"]).toBe("chunked");
    expect(body).toBe("11\r\nid: 1\ndata: one\n\n\r\n0\r\n\r\n");
  });

  it("two servers in one process each frame their own batches (one framing cache per server)", async () => {
    const first = await startServer();
    const second = await startServer();
    const a = await connectSse(first.url);
    const b = await connectSse(second.url);
    for (let n = 1; n <= 20; n++) {
      first.hub.publish([{ data: `first ${n}` }]);
      second.hub.publish([{ data: `second ${"x".repeat(n)}` }]);
    }
    await a.waitForEvents(20);
    await b.waitForEvents(20);
    expect(a.events.map((event) => event.data)).toEqual(
      Array.from({ length: 20 }, (_, i) => `first ${i + 1}`),
    );
    expect(b.events.map((event) => event.data)).toEqual(
      Array.from({ length: 20 }, (_, i) => `second ${"x".repeat(i + 1)}`),
    );
    a.close();
    b.close();
  });
});

describe("route handlers that fail", () => {
  it("a handler that throws or rejects is answered 500 and logged; the server keeps streaming", async () => {
    const { hub, server, url, origin, warnings } = await startServer();
    server.addRoute({
      method: "GET",
      path: "/throws",
      handle: () => {
        throw new Error("thrown on purpose");
      },
    });
    server.addRoute({
      method: "POST",
      path: "/rejects",
      handle: async (request) => {
        for await (const _chunk of request) {
          // read the body, then fail
        }
        throw new RangeError("rejected on purpose");
      },
    });
    const client = await connectSse(url);
    expect((await fetch(`${origin}/throws`)).status).toBe(500);
    expect((await fetch(`${origin}/rejects`, { method: "POST", body: "x" })).status).toBe(500);
    expect(warnings).toEqual([
      "GET /throws failed: thrown on purpose",
      "POST /rejects failed: rejected on purpose",
    ]);
    hub.publish([{ data: "still streaming" }]);
    expect((await client.waitForEvents(1))[0]?.data).toBe("still streaming");
    client.close();
  });
});
