/**
 * `listen --http2` against a `node:http2` TLS server that refuses HTTP/1.1 (allowHTTP1: false),
 * so an event arriving at all proves HTTP/2 was used. The server's certificate is signed by a
 * CA made at test time and trusted with `--cacert`, never `--insecure`.
 */
import { writeFileSync } from "node:fs";
import type { IncomingHttpHeaders, ServerHttp2Stream } from "node:http2";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli-process.js";
import { type H2OnlyServer, startH2OnlyServer } from "../helpers/h2-only-server.js";
import {
  createTestCertificateChain,
  type TestCertificateChain,
} from "../helpers/tls-test-certificates.js";

interface JsonEvent {
  event: string;
  id: string;
  data: string;
}

const parseLines = (stdout: string): JsonEvent[] =>
  stdout
    .trim()
    .split("\n")
    .map((line) => {
      const { event, id, data } = JSON.parse(line) as JsonEvent;
      return { event, id, data };
    });

/** Last-Event-ID sent by each request to /resume, per ?run= key ("-" for none). */
const resumeRequests: Record<string, string[]> = {};

function respondEvents(stream: ServerHttp2Stream, body: string): void {
  stream.respond({ ":status": 200, "content-type": "text/event-stream" });
  stream.end(body);
}

function route(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
  const url = new URL(headers[":path"] ?? "/", "https://x");
  switch (url.pathname) {
    case "/events":
      // Chunks split inside a field and across the CRLF, as frames may split them.
      stream.respond({ ":status": 200, "content-type": "text/event-stream; charset=utf-8" });
      stream.write("id: 1\ndata: first\n\nevent: tick\nda");
      stream.write('ta: {"n": 2}\r');
      stream.end(
        "\n\r\nid: 3\ndata: line one\ndata: line two\n\n: bye\n\ndata: dropped, no blank line",
      );
      return;
    case "/resume": {
      const key = url.searchParams.get("run") ?? "";
      const log = resumeRequests[key] ?? [];
      resumeRequests[key] = log;
      log.push((headers["last-event-id"] as string | undefined) ?? "-");
      if (log.length === 1) {
        respondEvents(stream, "retry: 50\nid: 1\ndata: a\n\nid: 2\ndata: b\n\n");
      } else if (log.length === 2) {
        respondEvents(stream, "id: 3\ndata: c\n\n");
      } else {
        stream.respond({ ":status": 204 });
        stream.end();
      }
      return;
    }
    default:
      stream.respond({ ":status": 404 });
      stream.end("not found");
  }
}

let chain: TestCertificateChain;
let h2Server: H2OnlyServer;
let h2Url: string;
/** An HTTP/1.1-only TLS server with the same certificate: --http2 is an offer, not a demand. */
let h1Server: HttpsServer;
let h1Url: string;

beforeAll(async () => {
  chain = createTestCertificateChain();
  h2Server = await startH2OnlyServer(chain, route);
  h2Url = h2Server.url;
  h1Server = createHttpsServer({ key: chain.serverKey, cert: chain.serverCert }, (_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end("data: over http/1.1\n\n");
  });
  await new Promise<void>((resolve) => h1Server.listen(0, "127.0.0.1", resolve));
  h1Url = `https://127.0.0.1:${(h1Server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await h2Server.close();
  h1Server.closeAllConnections();
  await new Promise((resolve) => h1Server.close(resolve));
});

describe.concurrent("listen --http2 with --cacert", () => {
  it("reads every event exactly from an HTTP/2-only server", async () => {
    const result = await runCli([
      "listen",
      "--http2",
      "--cacert",
      chain.caCertPath,
      "--json",
      "--no-reconnect",
      `${h2Url}/events`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(parseLines(result.stdout)).toEqual([
      { event: "message", id: "1", data: "first" },
      { event: "tick", id: "1", data: '{"n": 2}' },
      { event: "message", id: "3", data: "line one\nline two" },
    ]);
  });

  it("-v shows the response came over HTTP/2", async () => {
    const result = await runCli([
      "listen",
      "-v",
      "--http2",
      "--cacert",
      chain.caCertPath,
      "--no-reconnect",
      "-n",
      "1",
      `${h2Url}/events`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^< HTTP\/2 200\b/m);
    expect(result.stderr).not.toMatch(/HTTP\/1\.1/);
  });

  it("reconnects over HTTP/2 sending Last-Event-ID, and stops on 204", async () => {
    const result = await runCli([
      "listen",
      "--http2",
      "--cacert",
      chain.caCertPath,
      "--json",
      `${h2Url}/resume?run=reconnect`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(parseLines(result.stdout).map((event) => event.data)).toEqual(["a", "b", "c"]);
    expect(resumeRequests.reconnect).toEqual(["-", "2", "3"]);
  });

  it("falls back to HTTP/1.1 when the server does not offer HTTP/2", async () => {
    const result = await runCli([
      "listen",
      "-v",
      "--http2",
      "--cacert",
      chain.caCertPath,
      "--no-reconnect",
      `${h1Url}/events`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^< HTTP\/1\.1 200 OK$/m);
    expect(result.stdout).toContain("over http/1.1");
  });
});

describe.concurrent("listen against an HTTP/2-only server: errors", () => {
  it("without --http2: one line saying the server speaks only HTTP/2, exit 1", async () => {
    const result = await runCli([
      "listen",
      "--cacert",
      chain.caCertPath,
      "--no-reconnect",
      `${h2Url}/events`,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^sse-tool: cannot connect to 127\.0\.0\.1:\d+: the server speaks only HTTP\/2 \(TLS refused HTTP\/1\.1\); listen --http2 reads it\n$/,
    );
    expect(result.stdout).toBe("");
  });

  it("without --cacert the private CA is not trusted", async () => {
    const result = await runCli(["listen", "--http2", "--no-reconnect", `${h2Url}/events`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^sse-tool: cannot connect to .*TLS certificate not trusted/);
  });

  it("--cacert with a missing file: one line naming it, exit 1, nothing sent", async () => {
    const missing = join(chain.dir, "missing.pem");
    const result = await runCli(["listen", "--http2", "--cacert", missing, `${h2Url}/events`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`sse-tool: cannot read --cacert ${missing}: no such file\n`);
  });

  it("--cacert with a file holding no certificate (a key given by mistake)", async () => {
    const keyFile = join(chain.dir, "given-by-mistake.pem");
    writeFileSync(keyFile, chain.serverKey);
    const result = await runCli(["listen", "--http2", "--cacert", keyFile, `${h2Url}/events`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `sse-tool: --cacert ${keyFile} holds no PEM certificate ("-----BEGIN CERTIFICATE-----")\n`,
    );
  });
});
