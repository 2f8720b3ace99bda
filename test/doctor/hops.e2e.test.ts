/**
 * doctor names the hops in front of a stream and gives each its own advice, against local
 * servers that answer as those hops do; and its connect and heartbeat verdicts agree with what
 * it saw (a quiet stream is not "busy", an HTTP/2-only server asks for doctor --http2).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckResult } from "../../src/doctor/checks/result.js";
import { runCli } from "../helpers/cli-process.js";
import { type H2OnlyServer, startH2OnlyServer } from "../helpers/h2-only-server.js";
import { startTestServer, type TestServer } from "../helpers/http-test-server.js";
import { type RawTcpServer, startRawTcpServer } from "../helpers/raw-tcp-server.js";
import { createTestCertificateChain } from "../helpers/tls-test-certificates.js";
import { streamRoute } from "./doctor-test-server.js";

interface Report {
  checks: CheckResult[];
  hops: Array<{ name: string; evidence: string }>;
}

/** Response headers as each CDN or gateway sends them on a proxied stream (ids made up). */
const cdnHeaderSets: Array<[string, Record<string, string>, string[]]> = [
  [
    "cloudflare",
    {
      server: "cloudflare",
      "cf-ray": "8f1c2d3e4a5b6c7d-FRA",
      "cf-cache-status": "DYNAMIC",
      "alt-svc": 'h3=":443"; ma=86400',
      nel: '{"success_fraction":0,"report_to":"cf-nel","max_age":604800}',
    },
    ["Cloudflare"],
  ],
  [
    "cloudfront",
    {
      via: "1.1 3f2a6c1b0e9d8c7b6a5f4e3d2c1b0a9f.cloudfront.net (CloudFront)",
      "x-cache": "Miss from cloudfront",
      "x-amz-cf-pop": "FRA56-P5",
      "x-amz-cf-id": "Zq3n1J2x8yV6m4b0Qe9aLr5tW7uKc2dH1fG3sP0oI9jN8mB6vC4xA==",
    },
    ["Amazon CloudFront"],
  ],
  [
    "api-gateway",
    {
      "x-amzn-requestid": "5b2f9a7c-3d1e-4f60-8a9b-0c1d2e3f4a5b",
      "x-amz-apigw-id": "Fq1ZsHk9FiAEMfA=",
      "x-amzn-trace-id": "Root=1-6755a1b2-0a1b2c3d4e5f60718293a4b5;Sampled=0",
    },
    ["AWS load balancer or API Gateway"],
  ],
  [
    "fastly",
    {
      via: "1.1 varnish",
      "x-served-by": "cache-fra-etou8220044-FRA",
      "x-cache": "MISS",
      "x-cache-hits": "0",
      "x-timer": "S1733616000.123456,VS0,VE12",
    },
    ["Fastly"],
  ],
  ["heroku", { via: "1.1 vegur", server: "Cowboy" }, ["Heroku router"]],
];

let server: TestServer;
let h2Server: H2OnlyServer;
let rawServer: RawTcpServer;

beforeAll(async () => {
  server = await startTestServer({
    // One event: too few to see the stream flow, so the headers are all there is to judge by.
    "/apache-varnish": streamRoute({
      accelBuffering: null,
      quiet: true,
      extraHeaders: { server: "Apache/2.4.58 (Ubuntu)", via: "1.1 varnish (Varnish/7.4)" },
    }),
    "/direct": streamRoute({ accelBuffering: null }),
    "/quiet": streamRoute({ quiet: true }),
    ...Object.fromEntries(
      cdnHeaderSets.map(([name, headers]) => [
        `/cdn/${name}`,
        streamRoute({ accelBuffering: null, extraHeaders: headers }),
      ]),
    ),
  });
  // A C1 CSI byte (obs-text to HTTP, a control sequence to a terminal) in the Server header.
  rawServer = await startRawTcpServer((socket) => {
    socket.end(
      Buffer.from(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n" +
          "server: nginx \x9b31mpwned\r\n\r\ndata: x\n\n",
        "latin1",
      ),
    );
  });
  h2Server = await startH2OnlyServer(createTestCertificateChain(), (stream) => {
    stream.respond({ ":status": 200, "content-type": "text/event-stream" });
    stream.end("data: over h2\n\n");
  });
});

afterAll(async () => {
  await server.close();
  await h2Server.close();
  await rawServer.close();
});

const checkOf = (report: Report, id: string) => report.checks.find((c) => c.id === id);

describe.concurrent("doctor knows the hops", () => {
  it("Apache behind Varnish: both named, with their own settings, not nginx's", async () => {
    const url = `${server.url}/apache-varnish`;
    const [text, json] = await Promise.all([
      runCli(["doctor", "--duration", "0.6", url]),
      runCli(["doctor", "--json", "--duration", "0.6", url]),
    ]);
    expect(text.stdout).toMatch(
      /hops: Apache httpd \(Server: Apache\/2\.4\.58 \(Ubuntu\)\), Varnish \(Via: 1\.1 varnish/,
    );
    const line = text.stdout.split("\n").find((l) => l.includes("proxy-buffering")) ?? "";
    expect(line).toMatch(/WARN {2}proxy-buffering +Apache httpd: .*; Varnish: /);
    expect(text.stdout).toMatch(/fix: Apache httpd: flushpackets=on.*; Varnish: return \(pipe\)/);
    expect(text.stdout).not.toMatch(/nginx|X-Accel/);

    const report = JSON.parse(json.stdout) as Report;
    expect(report.hops.map((hop) => hop.name)).toEqual(["Apache httpd", "Varnish"]);
    expect(checkOf(report, "proxy-buffering")?.status).toBe("warn");
  });

  it.each(cdnHeaderSets)("%s's header set: named, and only it", async (name, _headers, hops) => {
    const report = JSON.parse(
      (await runCli(["doctor", "--json", "--duration", "0.6", `${server.url}/cdn/${name}`])).stdout,
    ) as Report;
    expect(report.hops.map((hop) => hop.name)).toEqual(hops);
    const version = checkOf(report, "http-version");
    if (name === "cloudflare") {
      // Alt-Svc h3: the stream may move to HTTP/3, which doctor does not watch.
      expect(version?.status).toBe("warn");
      expect(version?.fix).toContain("curl --http3-only");
    } else {
      expect(version?.status).toBe("pass");
    }
  });

  it("a server reached directly: none recognised, and no proxy-buffering warning", async () => {
    const result = await runCli(["doctor", "--json", "--duration", "0.6", `${server.url}/direct`]);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.hops).toEqual([]);
    expect(checkOf(report, "proxy-buffering")?.status).toBe("skip");
    const text = await runCli(["doctor", "--duration", "0.6", `${server.url}/direct`]);
    expect(text.stdout).toContain("hops: none recognised from the response headers");
  });

  it("a hostile Server header reaches the terminal escaped", async () => {
    const result = await runCli(["doctor", "--duration", "0.6", `${rawServer.url}/events`]);
    expect(result.stdout).toContain("hops: nginx (Server: nginx \\x9b31mpwned)");
    expect(result.stdout).not.toContain("\u009b");
  });

  it("one event, then a quiet stream: the heartbeat verdict does not call it busy", async () => {
    const result = await runCli(["doctor", "--json", "--duration", "1.2", `${server.url}/quiet`]);
    const heartbeat = checkOf(JSON.parse(result.stdout) as Report, "heartbeat");
    expect(heartbeat?.status).toBe("skip");
    expect(heartbeat?.reason).not.toContain("busy");
    expect(heartbeat?.reason).toMatch(/no heartbeat in 1\.\d s of silence/);
  });

  it("an HTTP/2-only server without --http2: the hint and the fix name doctor --http2", async () => {
    const url = `${h2Server.url}/events`;
    const result = await runCli(["doctor", "--json", "--insecure", "--duration", "2", url]);
    const connect = checkOf(JSON.parse(result.stdout) as Report, "connect");
    expect(connect?.status).toBe("fail");
    expect(connect?.reason).toContain("doctor --http2 reads it");
    expect(connect?.reason).not.toContain("listen --http2");
    expect(connect?.fix).toContain("doctor --http2");
  });
});
