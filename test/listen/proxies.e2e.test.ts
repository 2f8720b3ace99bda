/**
 * Issue 13's defects found with real servers and proxies, each against a local one: how a
 * request goes through an HTTP proxy (absolute form for http://, CONNECT for https://), who is
 * named when the proxy is down, the HTTP version -v prints, -H headers on a redirect to another
 * origin, endless 1xx interim responses, and a buffering proxy that holds the headers.
 */
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli-process.js";
import {
  eventStreamHeaders,
  sendChunks,
  startTestServer,
  type TestServer,
} from "../helpers/http-test-server.js";
import { type RunningProxy, startForwardProxy } from "../helpers/proxies.js";
import { startRawTcpServer } from "../helpers/raw-tcp-server.js";
import { createTestCertificateChain } from "../helpers/tls-test-certificates.js";

/** The headers each request to the echo routes carried, by path. */
const seen: Record<string, Array<Record<string, string | string[] | undefined>>> = {};
let server: TestServer;
let otherOrigin: TestServer;
let proxy: RunningProxy;
let closedPort: number;

beforeAll(async () => {
  const record = (name: string) =>
    ((request, response) => {
      seen[name] ??= [];
      seen[name].push(request.headers);
      response.writeHead(200, eventStreamHeaders);
      response.end("data: ok\n\n");
    }) satisfies Parameters<typeof startTestServer>[0][string];
  otherOrigin = await startTestServer({ "/landing": record("other") });
  server = await startTestServer({
    "/events": sendChunks(["data: ok\n\n"]),
    "/landing": record("same"),
    "/to-other": (_request, response) => {
      response.writeHead(302, { location: `${otherOrigin.url}/landing` }).end();
    },
    "/to-same": (_request, response) => {
      response.writeHead(307, { location: "/landing" }).end();
    },
  });
  proxy = await startForwardProxy();
  // A port that refuses connections: listened on, then closed.
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(async () => {
  await Promise.all([server.close(), otherOrigin.close(), proxy.close()]);
});

describe.concurrent("listen through an HTTP proxy", () => {
  it("a plain http:// URL is sent in absolute form, as curl does (no CONNECT)", async () => {
    const target = `${server.url}/events?via=flag`;
    const result = await runCli([
      "listen",
      "--json",
      "--no-reconnect",
      "--proxy",
      proxy.url,
      target,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).data).toBe("ok");
    expect(proxy.requests).toContain(`GET ${target}`);
    expect(proxy.requests.filter((line) => line.startsWith("CONNECT"))).toEqual([]);
  });

  it("HTTP_PROXY is used in the same way, and NO_PROXY exempts a host", async () => {
    const viaEnv = `${server.url}/events?via=env`;
    const result = await runCli(["listen", "--json", "--no-reconnect", viaEnv], {
      env: { HTTP_PROXY: proxy.url, NO_PROXY: "" },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(proxy.requests).toContain(`GET ${viaEnv}`);
    const exempt = `${server.url}/events?via=none`;
    const direct = await runCli(["listen", "--json", "--no-reconnect", exempt], {
      env: { HTTP_PROXY: proxy.url, NO_PROXY: "example.org, 127.0.0.1" },
    });
    expect(direct.code, direct.stderr).toBe(0);
    expect(JSON.parse(direct.stdout).data).toBe("ok");
    expect(proxy.requests.some((line) => line.includes("via=none"))).toBe(false);
  });

  it("-v prints the version the proxy answered with", async () => {
    const result = await runCli([
      "listen",
      "-v",
      "--no-reconnect",
      "--proxy",
      proxy.url,
      `${server.url}/events`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("< HTTP/1.1 200 OK\n");
  });

  it("a proxy that is down is named as such, with the host it was to reach", async () => {
    const down = `http://127.0.0.1:${closedPort}`;
    const result = await runCli(["listen", "--proxy", down, `${server.url}/events`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `sse-tool: cannot connect to proxy ${down} (for ${new URL(server.url).host}): connection refused\n`,
    );
  });
});

describe("listen through an HTTP proxy to https://", () => {
  let httpsServer: HttpsServer;
  let httpsUrl: string;
  let tunnelling: RunningProxy;
  beforeAll(async () => {
    const chain = createTestCertificateChain();
    httpsServer = createHttpsServer({ key: chain.serverKey, cert: chain.serverCert }, (_q, r) => {
      r.writeHead(200, eventStreamHeaders);
      r.end("data: secret\n\n");
    });
    await new Promise<void>((resolve) => httpsServer.listen(0, "127.0.0.1", resolve));
    httpsUrl = `https://127.0.0.1:${(httpsServer.address() as AddressInfo).port}/events`;
    tunnelling = await startForwardProxy({ allowConnect: () => true });
  });
  afterAll(async () => {
    httpsServer.closeAllConnections();
    await Promise.all([new Promise((r) => httpsServer.close(r)), tunnelling.close()]);
  });

  it("is tunnelled with CONNECT (TLS end to end)", async () => {
    const result = await runCli([
      "listen",
      "--json",
      "--no-reconnect",
      "--insecure",
      "--proxy",
      tunnelling.url,
      httpsUrl,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).data).toBe("secret");
    expect(tunnelling.requests).toEqual([`CONNECT ${new URL(httpsUrl).host}`]);
  });
});

describe.concurrent("-v prints the HTTP version the server said", () => {
  it("HTTP/1.0 for an HTTP/1.0 response, HTTP/1.1 for an HTTP/1.1 one", async () => {
    const old = await startRawTcpServer((socket) => {
      socket.end("HTTP/1.0 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: old\n\n");
    });
    try {
      const result = await runCli(["listen", "-v", "--no-reconnect", `${old.url}/events`]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain("< HTTP/1.0 200 OK\n");
      const current = await runCli(["listen", "-v", "--no-reconnect", `${server.url}/events`]);
      expect(current.stderr).toContain("< HTTP/1.1 200 OK\n");
    } finally {
      await old.close();
    }
  });
});

describe("-H headers on a redirect", () => {
  const userHeaders = [
    "-H",
    "X-Api-Key: key-1",
    "-H",
    "Api-Key: key-2",
    "-H",
    "Session-Token: tok",
    "-H",
    "Authorization: Bearer sk",
    "-H",
    "Cookie: a=b",
  ];

  it("are all dropped on the way to another origin; the EventSource's own are kept", async () => {
    const before = seen.other?.length ?? 0;
    const result = await runCli([
      "listen",
      "-v",
      "--no-reconnect",
      ...userHeaders,
      `${server.url}/to-other`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const headers = seen.other![before]!;
    for (const name of ["x-api-key", "api-key", "session-token", "authorization", "cookie"]) {
      expect(headers[name], name).toBeUndefined();
    }
    expect(headers.accept).toBe("text/event-stream");
    expect(result.stderr).toContain(
      "* not sent to the other origin: x-api-key, api-key, session-token, authorization, cookie (--location-trusted sends them)\n",
    );
  });

  it("go along with --location-trusted, and to the same origin", async () => {
    const before = seen.other?.length ?? 0;
    const trusted = await runCli([
      "listen",
      "--no-reconnect",
      "--location-trusted",
      ...userHeaders,
      `${server.url}/to-other`,
    ]);
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(seen.other![before]).toMatchObject({ "x-api-key": "key-1", authorization: "Bearer sk" });
    const beforeSame = seen.same?.length ?? 0;
    const same = await runCli([
      "listen",
      "--no-reconnect",
      ...userHeaders,
      `${server.url}/to-same`,
    ]);
    expect(same.code, same.stderr).toBe(0);
    expect(seen.same![beforeSame]).toMatchObject({ "x-api-key": "key-1", cookie: "a=b" });
  });
});

describe.concurrent("interim (1xx) responses never defeat --connect-timeout", () => {
  for (const interim of ["102 Processing", "103 Early Hints", "100 Continue"]) {
    it(`endless ${interim}: exit 1 within the timeout, saying why`, async () => {
      // How long the client kept its connection open: its own wait, start-up not counted.
      let heldOpenMs: Promise<number> | undefined;
      const flood = await startRawTcpServer((socket) => {
        const openedAt = performance.now();
        heldOpenMs ??= new Promise((resolve) =>
          socket.once("close", () => resolve(performance.now() - openedAt)),
        );
        const timer = setInterval(() => socket.write(`HTTP/1.1 ${interim}\r\n\r\n`), 50);
        socket.on("close", () => clearInterval(timer));
      });
      try {
        const result = await runCli(["listen", "--connect-timeout", "1", `${flood.url}/events`], {
          killAfterMs: 15_000,
        });
        expect(result.signal, "killed: the interim responses held it").toBeNull();
        expect(result.code).toBe(1);
        expect(await heldOpenMs).toBeLessThan(1000 + 3000);
        if (interim.startsWith("100")) {
          expect(result.stderr).toMatch(/100 Continue/);
        } else {
          expect(result.stderr).toMatch(/only interim responses \(\d+ x 1xx\) within 1 s/);
        }
      } finally {
        await flood.close();
      }
    });
  }
});
