/**
 * How `listen` treats what a server answers: 204 stops, errors show the body start, a wrong
 * MIME type fails, dead ports and silent servers fail fast, compressed streams are decoded.
 */

import type { AddressInfo, Socket } from "node:net";
import { createServer, type Server } from "node:net";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli-process.js";
import { startTestServer, type TestServer } from "../helpers/http-test-server.js";

const stream = 'id: 1\ndata: first\n\nevent: update\ndata: {"n":2}\n\n';
const compressors: Record<string, (input: Buffer) => Buffer> = {
  gzip: (input) => zlib.gzipSync(input),
  br: (input) => zlib.brotliCompressSync(input),
  deflate: (input) => zlib.deflateSync(input),
};

let server: TestServer;
let silent: Server;
let silentUrl: string;
const silentSockets = new Set<Socket>();
/** How long each connection to the silent server stayed open (ms): the client's own wait. */
const silentHeldOpen: Array<Promise<number>> = [];
let deadPortUrl: string;

beforeAll(async () => {
  server = await startTestServer({
    "/no-content": (_request, response) => response.writeHead(204).end(),
    "/not-found": (_request, response) => {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(
        JSON.stringify(
          { error: { message: "The model `gpt-9` does not exist", type: "invalid_request_error" } },
          null,
          2,
        ),
      );
    },
    "/html": (_request, response) => {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end("<!doctype html><title>Login</title>");
    },
    "/mime-params": (_request, response) => {
      response.writeHead(200, { "content-type": " Text/Event-Stream ; charset=utf-8" });
      response.end("data: accepted\n\n");
    },
    "/compressed": (request, response) => {
      const coding = new URL(request.url ?? "", "http://x").searchParams.get("coding") ?? "gzip";
      response.writeHead(200, { "content-type": "text/event-stream", "content-encoding": coding });
      const compressed = compressors[coding]!(Buffer.from(stream));
      // Two writes so decoding across chunk boundaries is exercised.
      response.write(compressed.subarray(0, 7));
      response.end(compressed.subarray(7));
    },
  });
  // Accepts TCP connections and never answers.
  silent = createServer((socket) => {
    silentSockets.add(socket);
    socket.on("error", () => {});
    const openedAt = performance.now();
    socket.resume(); // read (and drop) the request, so the client's close is seen
    silentHeldOpen.push(
      new Promise((resolve) => socket.once("close", () => resolve(performance.now() - openedAt))),
    );
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/events`;
  // A port nobody listens on: bind, note it, close.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  deadPortUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/events`;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(async () => {
  for (const socket of silentSockets) socket.destroy();
  await Promise.all([server.close(), new Promise((resolve) => silent.close(resolve))]);
});

describe.concurrent("listen responses", () => {
  it("204 No Content ends quietly with exit 0 and no reconnect", async () => {
    const result = await runCli(["listen", "--retry", "10", `${server.url}/no-content`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^sse-tool: server answered 204 No Content \(stop\): 0 events/);
    expect(server.requests.filter((r) => r.url === "/no-content")).toHaveLength(1);
  });

  it("404 with a JSON body shows the status and the body, exit 1, no reconnect", async () => {
    const result = await runCli(["listen", "--retry", "10", `${server.url}/not-found`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `sse-tool: HTTP 404 Not Found from ${server.url}/not-found: { "error": { "message": "The model \`gpt-9\` does not exist", "type": "invalid_request_error" } }\n`,
    );
    expect(server.requests.filter((r) => r.url === "/not-found")).toHaveLength(1);
  });

  it("a Content-Type other than text/event-stream fails with exit 1 and shows the body", async () => {
    const result = await runCli(["listen", `${server.url}/html`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "sse-tool: expected Content-Type text/event-stream, got text/html; charset=utf-8 (HTTP 200 OK): <!doctype html><title>Login</title>\n",
    );
  });

  it("the MIME type is compared by essence: case and parameters do not matter", async () => {
    const result = await runCli([
      "listen",
      "--json",
      "--no-reconnect",
      `${server.url}/mime-params`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).data).toBe("accepted");
  });

  it("a refused connection fails at once with one line, exit 1 (even with reconnect on)", async () => {
    const result = await runCli(["listen", "--retry", "10", deadPortUrl]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `sse-tool: cannot connect to ${new URL(deadPortUrl).host}: connection refused\n`,
    );
  });

  it("a server that accepts but never sends headers hits --connect-timeout, exit 1", async () => {
    const result = await runCli(["listen", "--connect-timeout", "0.3", silentUrl]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `sse-tool: no response from ${new URL(silentUrl).host}: no response headers within 0.3 s ` +
        "(a buffering proxy, such as nginx by default, holds a slow stream's headers until its buffer fills)\n",
    );
    // The wait, measured at the server (start-up not counted): 0.3 s, not a hang.
    expect(silentHeldOpen).toHaveLength(1);
    const heldOpenMs = await silentHeldOpen[0]!;
    expect(heldOpenMs).toBeGreaterThan(250);
    expect(heldOpenMs).toBeLessThan(300 + 3000);
  });

  it("an invalid URL is a usage error (exit 2)", async () => {
    const result = await runCli(["listen", "not a url"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("sse-tool: invalid URL: not a url\n");
  });

  for (const coding of Object.keys(compressors)) {
    it(`a ${coding} stream is decoded; -v warns that compression delays events`, async () => {
      const url = `${server.url}/compressed?coding=${coding}`;
      const [quiet, verbose] = await Promise.all([
        runCli(["listen", "--json", "--no-reconnect", url]),
        runCli(["listen", "--json", "--no-reconnect", "-v", url]),
      ]);
      for (const result of [quiet, verbose]) {
        expect(result.code, result.stderr).toBe(0);
        const events = result.stdout
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line));
        expect(events.map((e) => [e.event, e.id, e.data])).toEqual([
          ["message", "1", "first"],
          ["update", "1", '{"n":2}'],
        ]);
      }
      expect(quiet.stderr).not.toContain("compress");
      expect(verbose.stderr).toContain(
        `sse-tool: warning: the response is compressed (Content-Encoding: ${coding}); compression delays events through many proxies\n`,
      );
    });
  }
});
