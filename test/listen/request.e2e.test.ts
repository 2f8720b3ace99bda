/**
 * What `listen` sends: EventSource's default headers, -H, -X, -d from text, a file and stdin,
 * redirects (and their bound), proxies from --proxy and the environment, and --insecure.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import type { IncomingMessage, Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli-process.js";
import { type ConnectProxy, startConnectProxy } from "../helpers/connect-proxy.js";
import {
  eventStreamHeaders,
  sendChunks,
  startTestServer,
  type TestServer,
} from "../helpers/http-test-server.js";
import { createTestCertificateChain } from "../helpers/tls-test-certificates.js";

const oneEvent = sendChunks(["data: ok\n\n"]);
/** Echoes the request (method, headers, body) back as one event's data. */
function echo(request: IncomingMessage, response: import("node:http").ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    response.writeHead(200, eventStreamHeaders);
    const body = Buffer.concat(chunks).toString("utf8");
    response.end(
      `data: ${JSON.stringify({ method: request.method, headers: request.headers, body })}\n\n`,
    );
  });
}

let server: TestServer;
let workDir: string;
beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "sse-tool-request-"));
  server = await startTestServer({
    "/echo": echo,
    "/redirect": (_request, response) => {
      response.writeHead(302, { location: "/echo?after=redirect" }).end();
    },
    "/redirect-307": (_request, response) => {
      response.writeHead(307, { location: "/echo" }).end();
    },
    "/loop": (_request, response) => {
      response.writeHead(301, { location: "/loop" }).end();
    },
    "/events": oneEvent,
  });
});
afterAll(() => server.close());

interface Echoed {
  method: string;
  headers: Record<string, string>;
  body: string;
}

async function echoed(args: string[], stdin?: string): Promise<Echoed> {
  const result = await runCli(["listen", "--json", "--no-reconnect", ...args], { stdin });
  expect(result.code, result.stderr).toBe(0);
  const line = JSON.parse(result.stdout.trim()) as { data: string };
  return JSON.parse(line.data) as Echoed;
}

describe.concurrent("listen request", () => {
  it("sends GET with Accept: text/event-stream, Cache-Control: no-cache and no Last-Event-ID", async () => {
    const request = await echoed([`${server.url}/echo`]);
    expect(request.method).toBe("GET");
    expect(request.headers.accept).toBe("text/event-stream");
    expect(request.headers["cache-control"]).toBe("no-cache");
    expect(request.headers["last-event-id"]).toBeUndefined();
    expect(request.body).toBe("");
  });

  it("-H adds and overrides headers (repeatable); 'Name:' removes a default", async () => {
    const request = await echoed([
      "-H",
      "Authorization: Bearer secret",
      "-H",
      "accept: text/event-stream, */*",
      "--header",
      "Cache-Control:",
      `${server.url}/echo`,
    ]);
    expect(request.headers.authorization).toBe("Bearer secret");
    expect(request.headers.accept).toBe("text/event-stream, */*");
    expect(request.headers["cache-control"]).toBeUndefined();
  });

  it("a malformed -H is a usage error (exit 2)", async () => {
    const result = await runCli(["listen", "-H", "no colon here", `${server.url}/echo`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^sse-tool: invalid header/);
  });

  it("--last-event-id is sent on the first request", async () => {
    const request = await echoed(["--last-event-id", "41", `${server.url}/echo`]);
    expect(request.headers["last-event-id"]).toBe("41");
  });

  it("-d text implies POST; JSON bodies get Content-Type: application/json", async () => {
    const body = '{"model":"m","stream":true}';
    const request = await echoed(["-d", body, `${server.url}/echo`]);
    expect(request.method).toBe("POST");
    expect(request.body).toBe(body);
    expect(request.headers["content-type"]).toBe("application/json");
  });

  it("-d with non-JSON text sets no Content-Type; -H Content-Type wins; -X overrides", async () => {
    const plain = await echoed(["-d", "a=1&b=2", `${server.url}/echo`]);
    expect(plain.headers["content-type"]).toBeUndefined();
    const put = await echoed([
      "-X",
      "put",
      "-H",
      "Content-Type: text/plain",
      "--data",
      "{}",
      `${server.url}/echo`,
    ]);
    expect(put.method).toBe("PUT");
    expect(put.headers["content-type"]).toBe("text/plain");
  });

  it("-d @file sends the file unchanged", async () => {
    const path = join(workDir, "body.json");
    writeFileSync(path, '{\n  "prompt": "hi"\n}\n');
    const request = await echoed(["-d", `@${path}`, `${server.url}/echo`]);
    expect(request.body).toBe('{\n  "prompt": "hi"\n}\n');
    expect(request.method).toBe("POST");
  });

  it("-d @missing-file is a clear error (exit 1)", async () => {
    const result = await runCli(["listen", "-d", "@/nonexistent/body", `${server.url}/echo`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "sse-tool: cannot read request body from /nonexistent/body: no such file\n",
    );
  });

  it("-d @- reads the body from stdin", async () => {
    const request = await echoed(["-d", "@-", `${server.url}/echo`], "from stdin ✓");
    expect(request.body).toBe("from stdin ✓");
  });

  it("follows a 302 redirect (POST becomes GET, as fetch does)", async () => {
    const get = await echoed([`${server.url}/redirect`]);
    expect(get.method).toBe("GET");
    const post = await echoed(["-d", "x", `${server.url}/redirect`]);
    expect(post.method).toBe("GET");
    expect(post.body).toBe("");
  });

  it("a 307 redirect keeps the method and the body", async () => {
    const request = await echoed(["-d", "kept", `${server.url}/redirect-307`]);
    expect(request.method).toBe("POST");
    expect(request.body).toBe("kept");
  });

  it("a redirect loop ends with a clear error after a bound (exit 1)", async () => {
    const before = server.requests.filter((r) => r.url === "/loop").length;
    const result = await runCli(["listen", `${server.url}/loop`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `sse-tool: too many redirects (more than 10); last one to ${server.url}/loop\n`,
    );
    expect(server.requests.filter((r) => r.url === "/loop").length - before).toBe(11);
  });

  it("-v shows the request line, headers (credentials redacted) and the redirect", async () => {
    const result = await runCli([
      "listen",
      "-v",
      "--no-reconnect",
      "-H",
      "Authorization: Bearer sk-123456",
      `${server.url}/redirect`,
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`> GET ${server.url}/redirect\n`);
    expect(result.stderr).toContain("> accept: text/event-stream\n");
    expect(result.stderr).toContain("> authorization: Bearer [redacted, 9 characters]\n");
    expect(result.stderr).not.toContain("sk-123456");
    expect(result.stderr).toContain(`* 302 redirect to ${server.url}/echo?after=redirect\n`);
    expect(result.stderr).toContain("< HTTP/1.1 200 OK\n");
    expect(result.stderr).toContain("< content-type: text/event-stream\n");
  });
});

describe("listen through a proxy", () => {
  let proxy: ConnectProxy;
  let proxyUrl: string;
  let tunnels: string[];
  beforeAll(async () => {
    proxy = await startConnectProxy();
    proxyUrl = proxy.url;
    tunnels = proxy.tunnels;
  });
  afterAll(async () => {
    await proxy.close();
  });

  it("--proxy sends the request through the proxy", async () => {
    tunnels.length = 0;
    const result = await runCli([
      "listen",
      "--json",
      "--no-reconnect",
      "--proxy",
      proxyUrl,
      `${server.url}/events`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).data).toBe("ok");
    expect(tunnels).toEqual([new URL(server.url).host]);
  });

  it("HTTP_PROXY is used, and NO_PROXY exempts a host", async () => {
    tunnels.length = 0;
    const viaEnv = await runCli(["listen", "--json", "--no-reconnect", `${server.url}/events`], {
      env: { HTTP_PROXY: proxyUrl, NO_PROXY: "" },
    });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    expect(tunnels).toEqual([new URL(server.url).host]);
    const exempt = await runCli(["listen", "--json", "--no-reconnect", `${server.url}/events`], {
      env: { HTTP_PROXY: proxyUrl, NO_PROXY: "127.0.0.1" },
    });
    expect(exempt.code, exempt.stderr).toBe(0);
    expect(JSON.parse(exempt.stdout).data).toBe("ok");
    expect(tunnels).toHaveLength(1);
  });
});

describe("listen over TLS with an untrusted certificate", () => {
  let httpsServer: Server;
  let httpsUrl: string;
  beforeAll(async () => {
    // Signed by a private CA nobody here trusts: the same failure as a self-signed certificate.
    const chain = createTestCertificateChain();
    httpsServer = createHttpsServer(
      { key: chain.serverKey, cert: chain.serverCert },
      (_request, response) => {
        response.writeHead(200, eventStreamHeaders);
        response.end("data: secure\n\n");
      },
    );
    await new Promise<void>((resolve) => httpsServer.listen(0, "127.0.0.1", resolve));
    httpsUrl = `https://127.0.0.1:${(httpsServer.address() as AddressInfo).port}/events`;
  });
  afterAll(() => new Promise((resolve) => httpsServer.close(resolve)));

  it("fails with a hint without --insecure, connects with it", async () => {
    const refused = await runCli(["listen", "--no-reconnect", httpsUrl]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^sse-tool: cannot connect to 127\.0\.0\.1:\d+: TLS certificate not trusted \(\w+\); --insecure accepts it\n$/,
    );
    const accepted = await runCli(["listen", "--json", "--no-reconnect", "--insecure", httpsUrl]);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(JSON.parse(accepted.stdout).data).toBe("secure");
  });
});
