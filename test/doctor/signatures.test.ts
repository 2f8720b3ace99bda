/**
 * What doctor reads from a stream's timing and headers beyond one header at a time: a stream
 * held back (late headers or first event, then bursts or collapsed gaps) and the hop most likely
 * holding it, idle cuts and the timeout that matches, compression named per hop, HTTP/3
 * advertised, heartbeats too close to a hop's idle timeout, and two paths compared.
 */
import { describe, expect, it } from "vitest";
import { runDoctorChecks } from "../../src/doctor/checklist.js";
import type { CheckId } from "../../src/doctor/checks/result.js";
import { compareWatches } from "../../src/doctor/compare.js";
import { buildDoctorReport } from "../../src/doctor/report.js";
import { event, good, observed, type RawWatch } from "./watch-fixture.js";

function check(raw: RawWatch, id: CheckId) {
  const result = runDoctorChecks(observed(raw)).find((c) => c.id === id);
  if (!result) throw new Error(`no ${id} check`);
  return result;
}

/** Events in groups of `size` every `everyMs`, all of a group in one read. */
function grouped(groups: number, size: number, everyMs: number, fromMs = everyMs) {
  const events = [];
  for (let g = 0; g < groups; g++) {
    for (let i = 0; i < size; i++)
      events.push(event(fromMs + g * everyMs, String(g * size + i + 1)));
  }
  return events;
}

function behindNginx(change: (o: RawWatch) => void): RawWatch {
  const o = good();
  delete o.headers["x-accel-buffering"];
  o.headers.server = "nginx/1.22.1";
  change(o);
  o.chunkTimesMs = [...new Set(o.events.map((e) => e.atMs))];
  o.commentTimesMs = [];
  return o;
}

describe("a stream held back, by its signature", () => {
  it("headers held until the first event, then bursts: nginx named, with its fix", () => {
    const o = behindNginx((o) => {
      o.headersAfterMs = 1500;
      o.events = [...grouped(1, 8, 0, 2), ...grouped(3, 8, 800, 802)];
    });
    const bursts = check(o, "bursts");
    expect(bursts.status).toBe("warn");
    expect(bursts.reason).toMatch(
      /^headers held 1\.5 s until the first event, 3 bursts after silence/,
    );
    expect(bursts.reason).toContain("nginx most likely holds the stream back");
    expect(bursts.fix).toBe("nginx: X-Accel-Buffering: no on the response, or proxy_buffering off");
    expect(check(o, "proxy-buffering").status).toBe("warn");
  });

  it("nginx named, but events arrive one by one: its buffering is off, both pass", () => {
    const o = behindNginx(() => {});
    expect(check(o, "bursts").status).toBe("pass");
    expect(check(o, "proxy-buffering")).toMatchObject({ status: "pass" });
    expect(check(o, "proxy-buffering").reason).toContain("its buffering is off");
  });

  it("an LLM stream: first token late, then every gap collapsed (tokens in a few reads)", () => {
    const o = good();
    // 40 tokens in 4 reads 100 ms apart: no silence long enough to call a burst.
    o.events = grouped(4, 10, 100, 2400);
    o.chunkTimesMs = [2400, 2500, 2600, 2700];
    o.commentTimesMs = [];
    const bursts = check(o, "bursts");
    expect(bursts.status).toBe("warn");
    expect(bursts.reason).toMatch(
      /^first event after 2\.4 s, then 36 of 39 gaps between events collapsed to nothing/,
    );
    // A hop that does not name itself: still found by the timing, and the usual fixes listed.
    expect(bursts.reason).toContain("something between server and client");
    expect(bursts.fix).toContain("no header names it");
    // The same tokens from the start: a fast sender, not a held stream.
    o.events = grouped(4, 10, 100, 5);
    o.chunkTimesMs = [5, 105, 205, 305];
    expect(check(o, "bursts").status).toBe("pass");
  });

  it("no hop named, but the bursts come in 4 KiB blocks: most likely nginx, hidden", () => {
    const raw = good();
    raw.events = grouped(4, 8, 800);
    raw.chunkTimesMs = [800, 1600, 2400, 3200];
    raw.commentTimesMs = [];
    const o = observed(raw);
    o.stream.pageSizedChunks = 3;
    const bursts = runDoctorChecks(o).find((c) => c.id === "bursts");
    expect(bursts?.reason).toMatch(/in blocks of 4 or 8 KiB: .* most likely nginx/);
    expect(bursts?.fix).toContain("nginx: proxy_buffering off");
    // Blocks of other sizes: nothing points at nginx.
    o.stream.pageSizedChunks = 0;
    const unsized = runDoctorChecks(o).find((c) => c.id === "bursts");
    expect(unsized?.reason).toContain("something between server and client holds the stream back");
  });

  it("one burst alone (a client starved for a moment) is no warning; two are", () => {
    const o = good();
    const steady = Array.from({ length: 10 }, (_, i) => event(10 + i * 100, String(i + 1)));
    o.events = [...steady, ...[1, 2, 3].map((i) => event(1420, String(10 + i)))];
    o.chunkTimesMs = [...steady.map((e) => e.atMs), 1420];
    o.commentTimesMs = [];
    const lone = check(o, "bursts");
    expect(lone.status).toBe("pass");
    expect(lone.reason).toMatch(/once 3 at once after 510 ms: too little to call it held back/);
    o.events.push(...[4, 5, 6].map((i) => event(1900, String(10 + i))));
    o.chunkTimesMs.push(1900);
    expect(check(o, "bursts").status).toBe("warn");
  });

  it("the same batch right after the headers is a backlog, not a held stream", () => {
    const o = good();
    o.events = Array.from({ length: 12 }, (_, i) => event(3, String(i + 1)));
    o.chunkTimesMs = [3];
    expect(check(o, "bursts").status).toBe("pass");
  });

  it("gzip by a hop that does not flush per event: that hop is named with its setting", () => {
    const o = behindNginx((o) => {
      delete o.headers.server;
      o.headers["x-amz-cf-id"] = "Zq3n1J2x8yV6m4b0Qe9aLr5tW7uKc2dH1fG3sP0oI9jN8mB6vC4xA==";
      o.headers["content-encoding"] = "gzip";
      o.events = grouped(4, 6, 700);
    });
    const compression = check(o, "compression");
    expect(compression.reason).toMatch(/compressed \(gzip\), most likely by Amazon CloudFront \(/);
    expect(compression.reason).toContain("does not flush per event");
    const fix =
      "Amazon CloudFront: Compress objects automatically: off for the stream's cache behaviour";
    expect(compression.fix).toBe(fix);
    expect(check(o, "bursts").fix).toBe(fix);
  });

  it("gzip through nginx in bursts: its buffering, not its gzip, is the fix named", () => {
    const o = behindNginx((o) => {
      o.headers["content-encoding"] = "gzip";
      o.events = grouped(4, 6, 700);
    });
    expect(check(o, "compression").fix).toBe(
      "nginx: gzip off in the stream's location (or text/event-stream out of gzip_types)",
    );
    expect(check(o, "bursts").fix).toBe(
      "nginx: X-Accel-Buffering: no on the response, or proxy_buffering off",
    );
  });

  it("gzip by a hop that flushes per event (Apache httpd): named, events one by one", () => {
    const o = behindNginx((o) => {
      o.headers.server = "Apache/2.4.62 (Debian)";
      o.headers["content-encoding"] = "gzip";
    });
    const compression = check(o, "compression");
    expect(compression.reason).toMatch(
      /most likely by Apache httpd \(mod_deflate.*; events still come one by one here/,
    );
    expect(compression.fix).toBe(
      "Apache httpd: SetEnv no-gzip 1 in the stream's <Location> (or text/event-stream out of AddOutputFilterByType DEFLATE)",
    );
    expect(check(o, "bursts").status).toBe("pass");
  });
});

describe("idle cuts", () => {
  /** One event, then silence until something closed the stream after `silenceMs`. */
  function cut(silenceMs: number, how: "end" | "cut" | "reset", headers = {}): RawWatch {
    const o = good();
    Object.assign(o.headers, headers);
    o.events = [event(10, "1")];
    o.chunkTimesMs = [10];
    o.commentTimesMs = [];
    o.endedAtMs = 10 + silenceMs;
    o.endedHow = how;
    o.durationMs = o.endedAtMs;
    return o;
  }

  const cases: Array<[string, RawWatch, RegExp]> = [
    [
      "nginx, a short timeout",
      cut(3000, "cut", { server: "nginx" }),
      /closed after 3\.0 s of silence, without a response end \(the connection closed mid-response\): nginx is on the way: its proxy_read_timeout/,
    ],
    [
      "nginx's default",
      cut(60_100, "cut", { server: "nginx" }),
      /matches nginx's proxy_read_timeout, 60 s by default/,
    ],
    [
      "no hop named, 30 s",
      cut(30_200, "end"),
      /with a response end: matches the 30\.0 s default of Apache Traffic Server, Amazon CloudFront/,
    ],
    [
      "no hop named, 50 s",
      cut(50_000, "reset"),
      /with a reset \(ECONNRESET\): matches the 50\.0 s default of HAProxy/,
    ],
    ["no hop named, 100 s", cut(99_000, "cut"), /matches the 100\.0 s default of Cloudflare/],
    [
      "no known figure",
      cut(7000, "cut"),
      /no known default matches: a timeout set to about 7\.0 s/,
    ],
  ];
  it.each(cases)("%s", (_name, o, reason) => {
    const result = check(o, "idle-cut");
    expect(result.status).toBe("warn");
    expect(result.reason).toMatch(reason);
    expect(result.fix).toMatch(/^send a comment line \(`: ping`\) at least every/);
  });

  it("the fix names the recognised hop's setting and half the silence", () => {
    expect(check(cut(3000, "cut", { server: "nginx" }), "idle-cut").fix).toBe(
      "send a comment line (`: ping`) at least every 1.5 s while no event is sent, or raise nginx: proxy_read_timeout",
    );
  });

  it("headers held until the cut: the silence counts from the request", () => {
    const o = good();
    o.headers.server = "nginx";
    o.events = [];
    o.chunkTimesMs = [];
    o.bodyBytes = 0;
    o.headersAfterMs = 2100;
    o.endedAtMs = 4;
    o.endedHow = "cut";
    expect(check(o, "idle-cut").reason).toMatch(/^closed after 2\.1 s of silence/);
    expect(check(o, "events").reason).toBe(
      "the stream ended after 4 ms (its headers came after 2.1 s) without an event",
    );
  });

  it("a whole response held until its end and let go with it: ended, not cut", () => {
    const o = good();
    o.headersAfterMs = 2500;
    o.events = Array.from({ length: 8 }, (_, i) => event(3, String(i + 1)));
    o.chunkTimesMs = [3];
    o.commentTimesMs = [];
    o.endedAtMs = 4;
    o.endedHow = "end";
    expect(check(o, "idle-cut")).toMatchObject({ status: "pass" });
    expect(check(o, "bursts").status).toBe("warn");
    // The same, cut without a response end: the hop gave up, and that is an idle cut.
    o.endedHow = "cut";
    expect(check(o, "idle-cut").reason).toMatch(/^closed after 2\.5 s of silence, without/);
  });

  it("a stream ended right after its last event, or never closed: pass", () => {
    expect(check(cut(20, "end"), "idle-cut").status).toBe("pass");
    expect(check(good(), "idle-cut").reason).toMatch(/^stayed open for the whole watch/);
  });

  it("a gateway's 504 after a wait names the timeout", () => {
    const o = good();
    o.status = 504;
    o.headers = { "content-type": "text/html", server: "nginx" };
    o.headersAfterMs = 60_050;
    const result = check(o, "idle-cut");
    expect(result.status).toBe("warn");
    expect(result.reason).toMatch(
      /^a 504 after 60\.0 s without the server's headers: .*matches nginx's/,
    );
  });
});

describe("heartbeats against the hops' idle timeouts", () => {
  function beating(everyMs: number, headers: Record<string, string>): RawWatch {
    const o = good();
    Object.assign(o.headers, headers);
    o.events = [event(5, "1")];
    o.commentTimesMs = [everyMs, 2 * everyMs, 3 * everyMs];
    o.chunkTimesMs = [5, ...o.commentTimesMs];
    o.durationMs = 3 * everyMs + 100;
    return o;
  }

  it("every 20 s behind CloudFront (30 s): too close; the same without it: fine", () => {
    const close = check(beating(20_000, { "x-amz-cf-id": "abc" }), "heartbeat");
    expect(close.status).toBe("warn");
    expect(close.reason).toContain("too close to Amazon CloudFront's idle timeout");
    expect(check(beating(20_000, {}), "heartbeat").status).toBe("pass");
    expect(check(beating(10_000, { "x-amz-cf-id": "abc" }), "heartbeat").status).toBe("pass");
  });
});

describe("HTTP/3 advertised", () => {
  it("Alt-Svc h3: says what to test; h2 only: no word of it", () => {
    const h3 = good();
    h3.headers["alt-svc"] = 'h3=":443"; ma=86400, h3-29=":443"';
    expect(check(h3, "http-version")).toMatchObject({ status: "warn" });
    expect(check(h3, "http-version").fix).toContain("curl --http3-only");
    const h2 = good();
    h2.headers["alt-svc"] = 'h2=":443"; ma=60';
    expect(check(h2, "http-version").status).toBe("pass");
  });
});

describe("two paths compared", () => {
  it("headers added and removed, bursts and the cut on each side", () => {
    const direct = observed(good());
    const raw = behindNginx((o) => {
      o.events = grouped(3, 8, 800);
      o.endedAtMs = 5000;
      o.endedHow = "cut";
    });
    const proxied = observed(raw);
    const checks = runDoctorChecks(proxied);
    const { changes } = compareWatches(
      direct,
      proxied,
      buildDoctorReport(proxied, checks),
      runDoctorChecks(direct),
    );
    expect(changes.headersAdded).toEqual(["server: nginx/1.22.1"]);
    expect(changes.headersRemoved).toEqual(["x-accel-buffering: no"]);
    expect(changes.bursts).toEqual({ first: 0, second: 3 });
    expect(changes.cutAfterMs.first).toBeUndefined();
    expect(changes.cutAfterMs.second).toBe(2600);
    expect(changes.hops.second).toEqual(["nginx"]);
    expect(changes.checks.map((c) => `${c.id}:${c.first}->${c.second}`)).toContain(
      "bursts:pass->warn",
    );
  });
});
