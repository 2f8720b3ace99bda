/**
 * `sse-tool serve` over HTTP, against real clients: the `eventsource` package (a WHATWG
 * EventSource), `curl -N`, and a raw node:http client. The built binary is spawned.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { request } from "node:http";
import { createServer } from "node:net";
import { EventSource } from "eventsource";
import { afterEach, describe, expect, it } from "vitest";
import type { CliProcess } from "../helpers/cli-process.js";
import { runCli } from "../helpers/cli-process.js";
import { connectSse, type RunningServe, startServe } from "../helpers/sse-client.js";

const running: CliProcess[] = [];
afterEach(() => {
  for (const cli of running.splice(0)) cli.kill("SIGKILL");
});

async function serveWith(args: string[], stdin?: string): Promise<RunningServe> {
  const serve = await startServe(args, stdin === undefined ? {} : { stdin });
  running.push(serve.cli);
  return serve;
}

const sample = [
  '{"event":"greeting","data":"hello","id":"1"}',
  '{"data":"line one\\nline two\\r\\nline three","id":"2"}',
  '{"event":"json","data":{"a":[1,2,{"b":"ü ✓ 😀"}]},"id":"3"}',
  '{"data":"plain message"}',
].join("\n");

const sampleEncoded =
  "retry: 50\n\n" +
  "id: 1\nevent: greeting\ndata: hello\n\n" +
  "id: 2\ndata: line one\ndata: line two\ndata: line three\n\n" +
  'id: 3\nevent: json\ndata: {"a":[1,2,{"b":"ü ✓ 😀"}]}\n\n' +
  "data: plain message\n\n";

/** A raw HTTP request; resolves with status, headers and body (the stream is cut after headers). */
function httpRequest(
  url: string,
  method: string,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (response) => {
      const status = response.statusCode ?? 0;
      if (response.headers["content-type"]?.startsWith("text/event-stream")) {
        resolve({ status, headers: response.headers, body: "" });
        req.destroy();
        return;
      }
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => resolve({ status, headers: response.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("serve: real clients", () => {
  it("eventsource package receives named events, ids, multi-line and JSON data exactly", async () => {
    const { url } = await serveWith(["--retry", "50", "--exit-on-end"], sample);
    const source = new EventSource(url);
    const received: Array<{ type: string; data: string; lastEventId: string }> = [];
    const done = new Promise<void>((resolve) => {
      const record = (event: MessageEvent) => {
        received.push({ type: event.type, data: event.data, lastEventId: event.lastEventId });
        if (received.length === 4) resolve();
      };
      source.addEventListener("greeting", record);
      source.addEventListener("json", record);
      source.onmessage = record;
    });
    await done;
    source.close();
    expect(received).toEqual([
      { type: "greeting", data: "hello", lastEventId: "1" },
      { type: "message", data: "line one\nline two\nline three", lastEventId: "2" },
      { type: "json", data: '{"a":[1,2,{"b":"ü ✓ 😀"}]}', lastEventId: "3" },
      // No id of its own: the source's last event ID string is still "3" (HTML §9.2.6).
      { type: "message", data: "plain message", lastEventId: "3" },
    ]);
  });

  it("curl -N receives the exact event-stream bytes, and --exit-on-end ends it with exit 0", async () => {
    const { url, cli } = await serveWith(["--retry", "50", "--exit-on-end"], sample);
    const curl = spawn("curl", ["-sN", url]);
    const chunks: Buffer[] = [];
    curl.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    const [curlCode] = await once(curl, "close");
    const result = await cli.exited;
    expect(curlCode).toBe(0);
    expect(Buffer.concat(chunks).toString("utf8")).toBe(sampleEncoded);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/client 127\.0\.0\.1:\d+ connected/);
    expect(result.stderr).toMatch(/ended after 4 events/);
  });

  it("curl --http1.0 (nginx's default upstream protocol) receives the exact bytes, no chunk-size lines", async () => {
    const { url } = await serveWith(["--retry", "50", "--exit-on-end"], sample);
    const curl = spawn("curl", ["-sN", "--http1.0", "-D", "-", url]);
    const chunks: Buffer[] = [];
    curl.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    const [curlCode] = await once(curl, "close");
    expect(curlCode).toBe(0);
    const [head, body] = Buffer.concat(chunks).toString("utf8").split("\r\n\r\n");
    expect(head).not.toMatch(/transfer-encoding/i);
    expect(head).toMatch(/\r\nConnection: close/i);
    expect(body).toBe(sampleEncoded);
  });

  it("a client reconnecting with Last-Event-ID gets exactly the missed events, then live ones", async () => {
    const { url, cli } = await serveWith(["--ids"]);
    const watcher = await connectSse(url);
    const first = await connectSse(url);
    cli.child.stdin?.write("a\nb\nc\n");
    await first.waitForEvents(3);
    first.close();
    await cli.waitForStderr(/disconnected/);
    cli.child.stdin?.write("d\ne\n");
    await watcher.waitForEvents(5);
    const resumed = await connectSse(url, { "Last-Event-ID": "3" });
    await resumed.waitForEvents(2);
    cli.child.stdin?.write("f\n");
    await resumed.waitForEvents(3);
    expect(resumed.events).toEqual([
      { type: "message", data: "d", lastEventId: "4" },
      { type: "message", data: "e", lastEventId: "5" },
      { type: "message", data: "f", lastEventId: "6" },
    ]);
    await cli.waitForStderr(/Last-Event-ID "3": 2 missed events sent/);
    resumed.close();
    watcher.close();
  });

  it("an unknown Last-Event-ID gets every kept event (documented choice)", async () => {
    const { url, cli } = await serveWith(["--ids", "--no-wait", "--history", "2"], "a\nb\nc\n");
    await cli.waitForStderr(/ended after 3 events/);
    const client = await connectSse(url, { "Last-Event-ID": "nope" });
    await client.waitForEvents(2);
    expect(client.events.map((event) => event.data)).toEqual(["b", "c"]);
    await cli.waitForStderr(/not in history: all 2 kept events sent/);
    client.close();
  });

  it("sends the SSE headers, retry: to each new client, and heartbeats", async () => {
    const { url } = await serveWith(["--retry", "1234", "--heartbeat", "0.05", "--no-wait"], "");
    const client = await connectSse(url);
    expect(client.status).toBe(200);
    expect(client.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(client.headers["cache-control"]).toBe("no-cache, no-transform");
    expect(client.headers.connection).toBe("keep-alive");
    expect(client.headers["x-accel-buffering"]).toBe("no");
    await client.waitUntil(() => client.comments.length >= 2, "two heartbeats");
    expect(client.retries).toEqual([1234]);
    expect(client.comments.slice(0, 2)).toEqual(["heartbeat", "heartbeat"]);
    client.close();
  });
});

describe("serve: HTTP rules", () => {
  it("404 for other paths, 405 with Allow for other methods, --path moves the stream", async () => {
    const { origin } = await serveWith(["--path", "/stream", "--no-wait", "--no-ui"], "");
    expect((await httpRequest(`${origin}/events`, "GET")).status).toBe(404);
    expect((await httpRequest(`${origin}/`, "GET")).status).toBe(404);
    const put = await httpRequest(`${origin}/stream`, "PUT");
    expect(put.status).toBe(405);
    expect(put.headers.allow).toMatch(/GET/);
    expect((await httpRequest(`${origin}/stream`, "DELETE")).status).toBe(405);
    expect((await httpRequest(`${origin}/stream`, "GET")).status).toBe(200);
  });

  it("CORS: loopback origins by default, named with credentials; preflight answered", async () => {
    const { url } = await serveWith(["--no-wait"], "");
    const get = await httpRequest(url, "GET", { Origin: "http://localhost:5173" });
    expect(get.status).toBe(200);
    expect(get.headers["access-control-allow-origin"]).toBe("http://localhost:5173");
    expect(get.headers["access-control-allow-credentials"]).toBe("true");
    expect(get.headers.vary).toBe("Origin");
    const preflight = await httpRequest(url, "OPTIONS", {
      Origin: "http://127.0.0.1:3000",
      "Access-Control-Request-Method": "GET",
      "Access-Control-Request-Headers": "last-event-id",
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe("http://127.0.0.1:3000");
    expect(preflight.headers["access-control-allow-methods"]).toMatch(/GET/);
    expect(preflight.headers["access-control-allow-headers"]).toBe("last-event-id");
    // No Origin (curl, a server-side client): no CORS header is needed, the stream is served.
    const plain = await httpRequest(url, "GET");
    expect(plain.status).toBe(200);
    expect(plain.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("CORS: another origin is refused (403) unless --cors names it; '*' any; --no-cors none", async () => {
    const byDefault = await serveWith(["--no-wait"], "");
    const refused = await httpRequest(byDefault.url, "GET", { Origin: "https://page.example" });
    expect(refused.status).toBe(403);
    expect(refused.headers["access-control-allow-origin"]).toBeUndefined();
    const refusedPreflight = await httpRequest(byDefault.url, "OPTIONS", {
      Origin: "https://page.example",
      "Access-Control-Request-Method": "GET",
    });
    expect(refusedPreflight.status).toBe(403);

    const named = await serveWith(
      ["--no-wait", "--cors", "https://app.example", "--cors", "https://two.example"],
      "",
    );
    for (const origin of ["https://app.example", "https://two.example"]) {
      const namedGet = await httpRequest(named.url, "GET", { Origin: origin });
      expect(namedGet.headers["access-control-allow-origin"]).toBe(origin);
      expect(namedGet.headers["access-control-allow-credentials"]).toBe("true");
    }
    expect((await httpRequest(named.url, "GET", { Origin: "https://page.example" })).status).toBe(
      403,
    );

    const any = await serveWith(["--no-wait", "--cors", "*"], "");
    await any.cli.waitForStderr(/warning: --cors '\*': any web page/);
    const anyGet = await httpRequest(any.url, "GET", { Origin: "https://page.example" });
    expect(anyGet.headers["access-control-allow-origin"]).toBe("*");
    expect(anyGet.headers["access-control-allow-credentials"]).toBeUndefined();

    const none = await serveWith(["--no-wait", "--no-cors"], "");
    const noneGet = await httpRequest(none.url, "GET", { Origin: "http://localhost:5173" });
    expect(noneGet.status).toBe(403);
    expect(noneGet.headers["access-control-allow-origin"]).toBeUndefined();
    // The server's own pages (same origin) are always served.
    const own = await httpRequest(none.url, "GET", { Origin: none.origin });
    expect(own.status).toBe(200);
    expect(own.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("a --cors value that is not an origin is a usage error (exit 2)", async () => {
    for (const value of ["https://app.example/", "app.example", "https://app.example/x"]) {
      const result = await runCli(["serve", "--port", "0", "--cors", value], { stdin: "" });
      expect(result.code, value).toBe(2);
      expect(result.stderr).toMatch(/^sse-tool: --cors ".*": expected an origin/);
    }
  });

  it("a port in use is a clear error, exit 1", async () => {
    const blocker = createServer();
    blocker.listen(0, "127.0.0.1");
    await once(blocker, "listening");
    const { port } = blocker.address() as { port: number };
    try {
      const result = await runCli(["serve", "--port", String(port)], { stdin: "" });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `sse-tool: cannot listen on 127.0.0.1:${port}: address already in use (choose another --port; 0 picks a free one)\n`,
      );
    } finally {
      blocker.close();
    }
  });
});
