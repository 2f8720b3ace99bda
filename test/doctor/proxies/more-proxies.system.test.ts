/**
 * doctor against real Apache httpd, HAProxy, lighttpd, Varnish, Caddy, Squid and Apache Traffic
 * Server (Debian's),
 * each started for the test with its defaults plus a short idle timeout: doctor names the hop
 * when it says who it is, finds what its defaults do to a stream (lighttpd holds it whole,
 * mod_deflate compresses it), and each fix it names, applied, makes the next run pass; each
 * idle cut is measured and the heartbeat doctor asks for keeps the stream open.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../../helpers/http-test-server.js";
import { checkOf, doctor, idleCutRound } from "./doctor-run.js";
import {
  apache,
  caddy,
  haproxy,
  lighttpd,
  squid,
  trafficServer,
  varnish,
} from "./proxy-configs.js";
import { type RealProxy, startRealProxy } from "./real-proxy.js";
import { startUpstream } from "./upstream.js";

/** Long enough for a busy machine's timers; some proxies check theirs once a second. */
const idleTimeoutS = 4;

let origin: TestServer;
let originPort: number;
const started: RealProxy[] = [];

async function start(spec: Parameters<typeof startRealProxy>[0]): Promise<RealProxy> {
  const proxy = await startRealProxy(spec);
  started.push(proxy);
  return proxy;
}

beforeAll(async () => {
  origin = await startUpstream();
  originPort = Number(new URL(origin.url).port);
});

afterAll(async () => {
  await Promise.all(started.map((proxy) => proxy.stop()));
  await origin?.close();
});

/** A stream through a hop that passes it as it comes: named (or not), nothing held back. */
async function streamsThrough(url: string, hop: string | undefined, ...more: string[]) {
  const report = await doctor(url, 4, ...more);
  expect(report.hops.map((h) => h.name)).toEqual(hop === undefined ? [] : [hop]);
  expect(checkOf(report, "bursts").status, checkOf(report, "bursts").reason).toBe("pass");
  expect(checkOf(report, "compression").status).toBe("pass");
  expect(checkOf(report, "proxy-buffering").status).not.toBe("warn");
}

describe("Apache httpd (mod_proxy)", () => {
  it("streams; its ProxyTimeout cut is measured and named", async () => {
    const proxy = await start(apache(originPort, `ProxyTimeout ${idleTimeoutS}`));
    await streamsThrough(`${proxy.url}/ticks`, "Apache httpd");
    await idleCutRound(proxy.url, idleTimeoutS, {
      reason: /Apache httpd is on the way: its ProxyTimeout/,
      setting: "raise Apache httpd: ProxyTimeout",
    });
  }, 120_000);

  it("mod_deflate on event streams: the compression named, and its fix passes", async () => {
    const deflating = "AddOutputFilterByType DEFLATE text/event-stream";
    const [compressing, fixed] = await Promise.all([
      start(apache(originPort, deflating)),
      start(
        apache(originPort, `${deflating}\n<Location "/ticks">\n  SetEnv no-gzip 1\n</Location>`),
      ),
    ]);
    const report = await doctor(`${compressing.url}/ticks`, 4);
    const compression = checkOf(report, "compression");
    expect(compression.status).toBe("warn");
    expect(compression.reason).toMatch(/compressed \(gzip\), most likely by Apache httpd/);
    expect(compression.fix).toBe(
      "Apache httpd: SetEnv no-gzip 1 in the stream's <Location> (or text/event-stream out of AddOutputFilterByType DEFLATE)",
    );
    await streamsThrough(`${fixed.url}/ticks`, "Apache httpd");
  }, 120_000);
});

describe("HAProxy", () => {
  it("streams, names itself in no header; its timeout server cut is measured", async () => {
    const proxy = await start(haproxy(originPort, "", `${idleTimeoutS}s`));
    await streamsThrough(`${proxy.url}/ticks`, undefined);
    await idleCutRound(proxy.url, idleTimeoutS, {
      reason: /without a response end/,
      setting: "raise the idle timeout of the proxy or load balancer on the way",
    });
  }, 120_000);
});

describe("lighttpd (mod_proxy)", () => {
  it("holds the whole response by default: named among the suspects, its fix passes", async () => {
    const [holding, fixed] = await Promise.all([
      start(lighttpd(originPort)),
      start(lighttpd(originPort, "server.stream-response-body = 2")),
    ]);
    const report = await doctor(`${holding.url}/ticks`, 3);
    const connect = checkOf(report, "connect");
    expect(connect.status).toBe("fail");
    expect(connect.reason).toMatch(/no response headers within 3\.0 s: .*lighttpd/);
    expect(connect.fix).toContain("lighttpd: server.stream-response-body = 2");
    await streamsThrough(`${fixed.url}/ticks`, "lighttpd");
  }, 120_000);

  it("its backend read-timeout cut is measured and named", async () => {
    const proxy = await start(
      lighttpd(
        originPort,
        "server.stream-response-body = 2",
        `, "read-timeout" => ${idleTimeoutS}`,
      ),
    );
    await idleCutRound(proxy.url, idleTimeoutS, {
      reason: /lighttpd is on the way: its the backend's read-timeout|lighttpd is on the way/,
      setting: 'raise lighttpd: "read-timeout" on the proxy.server host',
    });
  }, 120_000);
});

describe("Varnish", () => {
  it("streams a fetch; its between_bytes_timeout cut is measured and named", async () => {
    const proxy = await start(varnish(originPort, `between_bytes_timeout=${idleTimeoutS}`));
    await streamsThrough(`${proxy.url}/ticks`, "Varnish");
    await idleCutRound(proxy.url, idleTimeoutS, {
      reason: /Varnish is on the way: its between_bytes_timeout/,
      setting: "raise Varnish: between_bytes_timeout",
    });
  }, 120_000);
});

describe("Caddy", () => {
  it("streams; its read_timeout ends the response, measured and named", async () => {
    const proxy = await start(caddy(originPort, `read_timeout ${idleTimeoutS}s`));
    await streamsThrough(`${proxy.url}/ticks`, "Caddy");
    await idleCutRound(proxy.url, idleTimeoutS, {
      reason: /with a response end: Caddy is on the way/,
      setting: "raise Caddy: read_timeout in reverse_proxy's transport http",
    });
  }, 120_000);
});

describe("Squid (a forward proxy: doctor --proxy)", () => {
  it("streams; its read_timeout cut is measured and named", async () => {
    const proxy = await start(squid(`read_timeout ${idleTimeoutS} seconds`));
    await streamsThrough(`${origin.url}/ticks`, "Squid", "--proxy", proxy.url);
    await idleCutRound(
      origin.url,
      idleTimeoutS,
      { reason: /Squid is on the way: its read_timeout/, setting: "raise Squid: read_timeout" },
      "--proxy",
      proxy.url,
    );
  }, 120_000);
});

describe("Apache Traffic Server", () => {
  it("streams; its transaction_no_activity_timeout_out cut is measured and named", async () => {
    const proxy = await start(
      trafficServer(
        originPort,
        `CONFIG proxy.config.http.transaction_no_activity_timeout_out INT ${idleTimeoutS}`,
      ),
    );
    await streamsThrough(`${proxy.url}/ticks`, "Apache Traffic Server");
    await idleCutRound(proxy.url, idleTimeoutS, {
      reason: /Apache Traffic Server is on the way: its transaction_no_activity_timeout_out/,
      setting: "raise Apache Traffic Server: proxy.config.http.transaction_no_activity_timeout_out",
    });
  }, 120_000);
});
