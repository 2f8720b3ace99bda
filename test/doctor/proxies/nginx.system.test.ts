/**
 * doctor against a real nginx (Debian's), started for the test with its defaults: it names
 * nginx, finds its buffering by the timing and names the fix; with that fix applied the next
 * run passes. It measures nginx's idle cut (proxy_read_timeout set short for the test) and its
 * fix (a heartbeat as often as it says) passes; its gzip is named and "gzip off" passes;
 * --compare shows what nginx changed against the direct path; and with nginx's Server header
 * stripped by another hop, the timing still finds it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli-process.js";
import type { TestServer } from "../../helpers/http-test-server.js";
import { checkOf, doctor } from "./doctor-run.js";
import { haproxy, nginx } from "./proxy-configs.js";
import { type RealProxy, startRealProxy } from "./real-proxy.js";
import { startUpstream } from "./upstream.js";

const idleTimeoutS = 3;

let origin: TestServer;
let defaults: RealProxy;
let fixed: RealProxy;
let shortTimeout: RealProxy;
let shortTimeoutUnbuffered: RealProxy;
let hidden: RealProxy;

/** Every proxy started, stopped after the tests even when another failed to start. */
const started: RealProxy[] = [];
async function start(spec: Parameters<typeof startRealProxy>[0]): Promise<RealProxy> {
  const proxy = await startRealProxy(spec);
  started.push(proxy);
  return proxy;
}

beforeAll(async () => {
  origin = await startUpstream();
  const port = Number(new URL(origin.url).port);
  [defaults, fixed, shortTimeout, shortTimeoutUnbuffered] = await Promise.all([
    start(nginx(port)),
    start(nginx(port, "proxy_buffering off;")),
    start(nginx(port, `proxy_read_timeout ${idleTimeoutS}s;`)),
    start(nginx(port, `proxy_read_timeout ${idleTimeoutS}s; proxy_buffering off;`)),
  ]);
  // nginx behind a hop that strips its Server header: nobody names it.
  hidden = await start(haproxy(defaults.port, "http-response del-header server"));
}, 60_000);

afterAll(async () => {
  await Promise.all(started.map((proxy) => proxy.stop()));
  await origin?.close();
});

const nginxFix = "nginx: X-Accel-Buffering: no on the response, or proxy_buffering off";

describe.concurrent("doctor behind a real nginx", () => {
  it("its defaults: named, its buffering found by the timing, with the fix", async () => {
    const report = await doctor(`${defaults.url}/ticks`, 5);
    expect(report.hops.map((hop) => hop.name)).toEqual(["nginx"]);
    const bursts = checkOf(report, "bursts");
    expect(bursts?.status, bursts?.reason).toBe("warn");
    expect(bursts?.reason).toContain("nginx most likely holds the stream back");
    expect(bursts?.fix).toBe(nginxFix);
    expect(checkOf(report, "proxy-buffering")).toMatchObject({ status: "warn", fix: nginxFix });
  }, 60_000);

  it("the fix applied, either way: the next run passes", async () => {
    const [bufferingOff, accelNo] = await Promise.all([
      doctor(`${fixed.url}/ticks`, 5),
      doctor(`${defaults.url}/ticks?accel=no`, 5),
    ]);
    for (const report of [bufferingOff, accelNo]) {
      expect(report.hops.map((hop) => hop.name)).toEqual(["nginx"]);
      expect(checkOf(report, "bursts")?.status, checkOf(report, "bursts")?.reason).toBe("pass");
      expect(checkOf(report, "proxy-buffering")?.status, JSON.stringify(report.checks)).toBe(
        "pass",
      );
    }
  }, 60_000);

  it("its idle cut: measured, named, and the heartbeat it asks for keeps the stream open", async () => {
    const [held, cut] = await Promise.all([
      doctor(`${shortTimeout.url}/quiet`, idleTimeoutS * 3),
      doctor(`${shortTimeoutUnbuffered.url}/quiet`, idleTimeoutS * 3),
    ]);
    // Buffered: the headers and the one event are held until the cut.
    const heldCut = checkOf(held, "idle-cut");
    expect(heldCut?.status).toBe("warn");
    expect(heldCut?.reason).toMatch(/^closed after [3-5]\.\d s of silence, without a response end/);
    expect(heldCut?.reason).toContain("nginx is on the way: its proxy_read_timeout");
    const idleCut = checkOf(cut, "idle-cut");
    expect(idleCut?.reason).toMatch(/^closed after [3-5]\.\d s of silence, without a response end/);
    const every = /at least every (\d+\.\d) s/.exec(idleCut?.fix ?? "")?.[1];
    expect(idleCut?.fix).toContain("or raise nginx: proxy_read_timeout");
    expect(Number(every)).toBeGreaterThanOrEqual(1);

    // The fix applied: a heartbeat as often as it says, and a watch past two timeouts.
    const open = await doctor(
      `${shortTimeoutUnbuffered.url}/quiet?ping=${Number(every) * 1000}`,
      idleTimeoutS * 2.5,
    );
    expect(checkOf(open, "idle-cut")?.status, checkOf(open, "idle-cut")?.reason).toBe("pass");
    expect(checkOf(open, "heartbeat")?.status).toBe("pass");
  }, 90_000);

  it("its gzip on event streams: named, and its fix passes", async () => {
    const port = Number(new URL(origin.url).port);
    const gzip = "proxy_buffering off; gzip_proxied any; gzip_types text/event-stream;";
    const [compressing, fixedGzip] = await Promise.all([
      start(nginx(port, `${gzip} gzip on;`)),
      start(nginx(port, `${gzip} gzip off;`)),
    ]);
    const [before, after] = await Promise.all([
      doctor(`${compressing.url}/ticks`, 4),
      doctor(`${fixedGzip.url}/ticks`, 4),
    ]);
    const compression = checkOf(before, "compression");
    expect(compression.status).toBe("warn");
    expect(compression.reason).toMatch(/compressed \(gzip\), most likely by nginx \(gzip/);
    expect(compression.fix).toBe(
      "nginx: gzip off in the stream's location (or text/event-stream out of gzip_types)",
    );
    expect(checkOf(after, "compression").status).toBe("pass");
  }, 60_000);

  it("no headers from the server: nginx's 504 after its timeout is named", async () => {
    const report = await doctor(`${shortTimeout.url}/silent`, idleTimeoutS * 3);
    expect(checkOf(report, "status").status).toBe("fail");
    const idleCut = checkOf(report, "idle-cut");
    expect(idleCut.status, idleCut.reason).toBe("warn");
    expect(idleCut.reason).toMatch(
      /^a 504 after [3-5]\.\d s without the server's headers: a gateway gave up waiting; nginx is on the way/,
    );
    expect(idleCut.fix).toContain("raise nginx: proxy_read_timeout");
  }, 60_000);

  it("--compare direct vs nginx: what the second path changed", async () => {
    const report = await doctor(`${origin.url}/ticks`, 5, "--compare", `${defaults.url}/ticks`);
    const changes = report.compare?.changes;
    expect(changes?.headersAdded).toContainEqual(expect.stringMatching(/^server: nginx/));
    expect(changes?.bursts.first).toBe(0);
    expect(changes?.bursts.second).toBeGreaterThan(0);
    expect(changes?.hops.second).toEqual(["nginx"]);
    expect(changes?.checks).toContainEqual(
      expect.objectContaining({ id: "bursts", first: "pass", second: "warn" }),
    );
    const text = await runCli([
      "doctor",
      "--duration",
      "3",
      `${origin.url}/ticks`,
      "--compare",
      `${defaults.url}/ticks`,
    ]);
    expect(text.stdout).toMatch(/compared with http:\/\/127\.0\.0\.1:\d+\/ticks/);
    expect(text.stdout).toMatch(/\* bursts +0 \(up to 0 at once\) +[1-9]\d* \(up to \d+ at once\)/);
  }, 60_000);

  it("nginx hidden (its Server header stripped): still found by the timing", async () => {
    const report = await doctor(`${hidden.url}/ticks`, 5);
    expect(report.hops).toEqual([]);
    const bursts = checkOf(report, "bursts");
    expect(bursts?.status, bursts?.reason).toBe("warn");
    expect(bursts?.reason).toMatch(
      /in blocks of 4 or 8 KiB: a hop that names itself in no header holds the stream back, most likely nginx/,
    );
    expect(bursts?.fix).toContain("nginx: proxy_buffering off");
  }, 60_000);
});
