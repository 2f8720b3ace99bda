/**
 * `load` takes listen's request options: TLS with a private CA (--cacert), HTTP/2 (--http2,
 * through undici), a proxy, headers and a body; it follows redirects, reads compressed streams,
 * and connects from the --source-address given. Real servers on 127.0.0.1 for each.
 */
import type { IncomingMessage } from "node:http";
import { createSecureServer, type Http2SecureServer, type ServerHttp2Stream } from "node:http2";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadReport } from "../../src/load/report/report.js";
import {
  eventStreamHeaders,
  startTestServer,
  type TestServer,
} from "../helpers/http-test-server.js";
import { type RunningProxy, startForwardProxy } from "../helpers/proxies.js";
import {
  createTestCertificateChain,
  type TestCertificateChain,
} from "../helpers/tls-test-certificates.js";
import { runLoad } from "./load-scenarios.js";

const fiveEvents = [1, 2, 3, 4, 5].map((id) => `id: ${id}\ndata: event ${id}\n\n`).join("");

let server: TestServer;
/** Another origin (another port) with an /echo, for redirects that leave the first. */
let elsewhere: TestServer;
/** The client addresses the HTTP/2 server saw. */
const h2From: string[] = [];
/** Request heads seen by /echo: method, headers, body, and the client's address. */
const seen: Array<{
  method: string;
  headers: IncomingMessage["headers"];
  body: string;
  from: string;
}> = [];
let chain: TestCertificateChain;
let httpsServer: HttpsServer;
let httpsUrl: string;
let h2Server: Http2SecureServer;
let h2Url: string;
let proxy: RunningProxy;

beforeAll(async () => {
  server = await startTestServer({
    "/events": (_request, response) => {
      response.writeHead(200, eventStreamHeaders);
      response.write(fiveEvents);
    },
    "/echo": (request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => {
        body += chunk;
      });
      request.on("end", () => {
        seen.push({
          method: request.method ?? "",
          headers: request.headers,
          body,
          from: request.socket.remoteAddress ?? "",
        });
        response.writeHead(200, eventStreamHeaders);
        response.end(fiveEvents);
      });
    },
    "/moved": (_request, response) => {
      response.writeHead(307, { location: "/events" }).end();
    },
    "/to-elsewhere": (_request, response) => {
      response.writeHead(307, { location: `${elsewhere.url}/echo` }).end();
    },
    "/loop": (_request, response) => {
      response.writeHead(302, { location: "/loop" }).end();
    },
    "/gzip": (_request, response) => {
      response.writeHead(200, { ...eventStreamHeaders, "content-encoding": "gzip" });
      response.write(gzipSync(fiveEvents));
    },
  });

  elsewhere = await startTestServer({
    "/echo": (request, response) => {
      seen.push({ method: request.method ?? "", headers: request.headers, body: "", from: "" });
      response.writeHead(200, eventStreamHeaders);
      response.write(fiveEvents);
    },
  });

  chain = createTestCertificateChain();
  httpsServer = createHttpsServer(
    { key: chain.serverKey, cert: chain.serverCert },
    (_request, response) => {
      response.writeHead(200, eventStreamHeaders);
      response.write(fiveEvents);
    },
  );
  await new Promise<void>((resolve) => httpsServer.listen(0, "127.0.0.1", resolve));
  httpsUrl = `https://127.0.0.1:${(httpsServer.address() as AddressInfo).port}/events`;

  // HTTP/2 only: an event arriving at all proves HTTP/2 was used.
  h2Server = createSecureServer({
    key: chain.serverKey,
    cert: chain.serverCert,
    allowHTTP1: false,
  });
  h2Server.on("stream", (stream: ServerHttp2Stream) => {
    h2From.push(stream.session?.socket.remoteAddress ?? "");
    stream.respond({ ":status": 200, "content-type": "text/event-stream" });
    stream.write(fiveEvents);
  });
  await new Promise<void>((resolve) => h2Server.listen(0, "127.0.0.1", resolve));
  h2Url = `https://127.0.0.1:${(h2Server.address() as AddressInfo).port}/events`;

  proxy = await startForwardProxy();
});

afterAll(async () => {
  await server.close();
  await elsewhere.close();
  httpsServer.closeAllConnections();
  await new Promise((resolve) => httpsServer.close(resolve));
  await new Promise((resolve) => h2Server.close(resolve));
  await proxy.close();
});

async function load(args: string[], env?: Record<string, string>): Promise<LoadReport> {
  const result = await runLoad(["--duration", "1.5", ...args], {
    env: {
      HTTP_PROXY: undefined,
      HTTPS_PROXY: undefined,
      http_proxy: undefined,
      https_proxy: undefined,
      ...env,
    },
  });
  expect(result.code, result.stderr).toBe(0);
  return result.report;
}

const delivered = (report: LoadReport) => ({
  connected: report.connected,
  events: report.events,
  missing: report.missing,
  failed: report.connections.failed,
});

describe("load: request options and transports", () => {
  it("https with a private CA trusted by --cacert", async () => {
    const report = await load(["-c", "3", "--cacert", chain.caCertPath, httpsUrl]);
    expect(delivered(report)).toEqual({ connected: 3, events: 15, missing: 0, failed: {} });
    expect(report.histograms.connect.count).toBe(3);
  });

  it("https with an untrusted certificate fails as tls; --insecure accepts it", async () => {
    const result = await runLoad(["-c", "2", "--duration", "5", httpsUrl]);
    expect(result.code).toBe(1);
    expect(result.report.connections.failed).toEqual({ tls: 2 });
    const insecure = await load(["-c", "2", "--insecure", httpsUrl]);
    expect(insecure.events).toBe(10);
  });

  it("--http2 reads an HTTP/2-only server", async () => {
    const report = await load(["-c", "4", "--http2", "--cacert", chain.caCertPath, h2Url]);
    expect(delivered(report)).toEqual({ connected: 4, events: 20, missing: 0, failed: {} });
  });

  it("--proxy carries every client's request (absolute form, as to a stock Squid)", async () => {
    proxy.requests.length = 0;
    const report = await load(["-c", "3", "--proxy", proxy.url, `${server.url}/events`]);
    expect(delivered(report)).toEqual({ connected: 3, events: 15, missing: 0, failed: {} });
    expect(proxy.requests).toEqual(Array(3).fill(`GET ${server.url}/events`));
  });

  it("HTTP_PROXY from the environment is used too", async () => {
    proxy.requests.length = 0;
    const report = await load(["-c", "2", `${server.url}/events`], {
      HTTP_PROXY: proxy.url,
      NO_PROXY: "",
    });
    expect(report.events).toBe(10);
    expect(proxy.requests).toEqual(Array(2).fill(`GET ${server.url}/events`));
  });

  it("sends -H headers and a -d body (POST), and does not reconnect a POST", async () => {
    seen.length = 0;
    const report = await load([
      "-c",
      "2",
      "-H",
      "Authorization: Bearer t0k3n",
      "-d",
      '{"q":1}',
      `${server.url}/echo`,
    ]);
    expect(report.events).toBe(10);
    // Each POST stream ended and was not sent again: two requests in all.
    expect(seen).toHaveLength(2);
    for (const request of seen) {
      expect(request).toMatchObject({ method: "POST", body: '{"q":1}' });
      expect(request.headers).toMatchObject({
        authorization: "Bearer t0k3n",
        accept: "text/event-stream",
        "cache-control": "no-cache",
        "content-type": "application/json",
        "content-length": "7",
      });
    }
  });

  it("follows a redirect, and counts a redirect loop as a failure", async () => {
    const report = await load(["-c", "2", `${server.url}/moved`]);
    expect(delivered(report)).toEqual({ connected: 2, events: 10, missing: 0, failed: {} });
    const loop = await runLoad(["-c", "1", "--duration", "5", `${server.url}/loop`]);
    expect(loop.code).toBe(1);
    expect(loop.report.connections.failed).toEqual({ redirect: 1 });
    expect(loop.stderr).toMatch(/too many redirects/);
  });

  it("a redirect to another origin drops the -H headers; --location-trusted keeps them", async () => {
    const headers = ["-H", "Authorization: Bearer t0k3n", "-H", "X-Api-Key: k3y"];
    seen.length = 0;
    const report = await load(["-c", "2", ...headers, `${server.url}/to-elsewhere`]);
    expect(delivered(report)).toEqual({ connected: 2, events: 10, missing: 0, failed: {} });
    expect(seen.length).toBeGreaterThanOrEqual(2);
    for (const request of seen) {
      expect(request.headers.authorization).toBeUndefined();
      expect(request.headers["x-api-key"]).toBeUndefined();
      expect(request.headers.accept).toBe("text/event-stream");
    }
    seen.length = 0;
    await load(["-c", "1", "--location-trusted", ...headers, `${server.url}/to-elsewhere`]);
    expect(seen[0]?.headers).toMatchObject({ authorization: "Bearer t0k3n", "x-api-key": "k3y" });
  });

  it("--source-address applies to undici's connections too (--http2)", async () => {
    h2From.length = 0;
    const report = await load([
      "-c",
      "2",
      "--http2",
      "--cacert",
      chain.caCertPath,
      "--source-address",
      "127.0.0.4",
      h2Url,
    ]);
    expect(report.events).toBe(10);
    expect(new Set(h2From.map((from) => from.replace(/^::ffff:/, "")))).toEqual(
      new Set(["127.0.0.4"]),
    );
  });

  it("reads a gzip-compressed stream", async () => {
    const report = await load(["-c", "2", `${server.url}/gzip`]);
    expect(delivered(report)).toEqual({ connected: 2, events: 10, missing: 0, failed: {} });
  });

  it("--source-address spreads the clients over the local addresses given", async () => {
    seen.length = 0;
    const report = await load([
      "-c",
      "4",
      "-X",
      "GET",
      "--source-address",
      "127.0.0.2,127.0.0.3",
      `${server.url}/echo`,
    ]);
    expect(report.connections.opened).toBeGreaterThanOrEqual(4);
    const addresses = new Set(seen.map((request) => request.from.replace(/^::ffff:/, "")));
    expect([...addresses].sort()).toEqual(["127.0.0.2", "127.0.0.3"]);
  });
});
