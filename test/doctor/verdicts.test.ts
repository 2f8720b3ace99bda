/**
 * Each verdict's words against the figures it prints: a reason never says what its own facts
 * contradict ("busy" over a silent watch, nginx's setting for an Apache hop).
 */
import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import { runDoctorChecks } from "../../src/doctor/checklist.js";
import type { CheckId, CheckResult } from "../../src/doctor/checks/result.js";
import type { DoctorObservation } from "../../src/doctor/observation.js";
import {
  buildDoctorReport,
  formatDoctorJson,
  formatDoctorReport,
} from "../../src/doctor/report.js";
import { StreamTally } from "../../src/doctor/stream-tally.js";

interface Watch {
  durationMs?: number;
  headers?: Record<string, string>;
  /** Event times (ms since the headers); each event carries the next integer id. */
  events?: number[];
  comments?: number[];
  endedAtMs?: number;
}

function observation(watch: Watch): DoctorObservation {
  const durationMs = watch.durationMs ?? 6000;
  const tally = new StreamTally();
  const happenings: Array<[number, () => void]> = [
    ...(watch.events ?? []).map((atMs, i): [number, () => void] => [
      atMs,
      () => {
        tally.chunk(atMs);
        tally.event(atMs, String(i + 1), 10);
      },
    ]),
    ...(watch.comments ?? []).map((atMs): [number, () => void] => [
      atMs,
      () => {
        tally.chunk(atMs);
        tally.comment(atMs);
      },
    ]),
  ];
  happenings.sort((a, b) => a[0] - b[0]);
  for (const [, happen] of happenings) happen();
  return {
    url: "http://127.0.0.1:1/events",
    durationMs,
    status: 200,
    headers: {
      "content-type": "text/event-stream",
      "cache-control": "no-cache, no-transform",
      ...watch.headers,
    },
    httpVersion: "1.1",
    stream: tally.summary(watch.endedAtMs ?? durationMs),
    retryMs: 2000,
    lineEndings: { lf: 4, crlf: 0, cr: 0, longestLineBytes: 12 },
    bodyBytes: 100,
    maxEventBytes: 16 * 1024 ** 2,
    ...(watch.endedAtMs === undefined ? {} : { endedAtMs: watch.endedAtMs }),
    resume: { ran: false, reason: "not run here" },
  };
}

function check(o: DoctorObservation, id: CheckId): CheckResult {
  const found = runDoctorChecks(o).find((result) => result.id === id);
  if (!found) throw new Error(`no ${id} check`);
  return found;
}

describe("heartbeat: the reason agrees with the silence it prints", () => {
  it("one event, then silence for the whole watch: not 'busy'", () => {
    const result = check(observation({ durationMs: 6000, events: [5] }), "heartbeat");
    expect(result.status).toBe("skip");
    expect(result.reason).not.toMatch(/busy/);
    expect(result.reason).toContain("no heartbeat in 6.0 s of silence");
    expect(result.reason).toContain("shorter than a heartbeat interval");
    expect(result.fix).toMatch(/--duration/);
  });

  it("events every 100 ms without heartbeats: busy, could not be judged", () => {
    const events = Array.from({ length: 60 }, (_, i) => i * 100);
    const result = check(observation({ durationMs: 6000, events }), "heartbeat");
    expect(result.status).toBe("skip");
    expect(result.reason).toMatch(/^could not be judged: events kept the stream busy/);
  });

  it("no heartbeat in 35 s of silence: a warning that says 35 s of silence", () => {
    const result = check(observation({ durationMs: 40_000, events: [5, 5000] }), "heartbeat");
    expect(result.status).toBe("warn");
    expect(result.reason).toMatch(/^no heartbeat in 35\.0 s of silence/);
  });

  it("heartbeats that stop, then 40 s of silence: not a pass", () => {
    const comments = Array.from({ length: 20 }, (_, i) => (i + 1) * 250);
    const result = check(observation({ durationMs: 45_000, comments }), "heartbeat");
    expect(result.status).toBe("warn");
    expect(result.reason).toContain("then silent for 40.0 s");
  });

  it("one heartbeat is not 'apart' from anything", () => {
    const result = check(observation({ durationMs: 10_000, comments: [8000] }), "heartbeat");
    expect(result.status).toBe("pass");
    expect(result.reason).not.toContain("apart");
    expect(result.reason).toContain("8.0 s after the stream opened");
  });

  it("56 s of silence fails without claiming a 60 s limit closed it", () => {
    const result = check(observation({ durationMs: 60_000, events: [5, 4000] }), "heartbeat");
    expect(result.status).toBe("fail");
    expect(result.reason).toContain("silent for 56.0 s: at or past");
    expect(result.reason).not.toContain("close it");
  });

  it("behind CloudFront, 35 s of silence fails with CloudFront's own limit", () => {
    const headers = { "x-amz-cf-id": "q1w2e3==", via: "1.1 abc.cloudfront.net (CloudFront)" };
    const o = observation({ durationMs: 40_000, events: [5, 5000], headers });
    const result = check(o, "heartbeat");
    expect(result.status).toBe("fail");
    expect(result.reason).toContain("Amazon CloudFront closes it after 30.0 s");
    expect(result.fix).toContain("OriginReadTimeout");
  });

  it("a quiet watch behind CloudFront: the advice names CloudFront's limit", () => {
    const headers = { "x-amz-cf-id": "q1w2e3==" };
    const result = check(observation({ events: [5], headers }), "heartbeat");
    expect(result.status).toBe("skip");
    expect(result.fix).toContain("behind Amazon CloudFront, one must come within 30.0 s");
  });

  it("behind Fastly, 12 s of silence is past its between-bytes timeout", () => {
    const headers = { "x-served-by": "cache-lhr7380-LHR", via: "1.1 varnish" };
    const o = observation({ durationMs: 13_000, events: [5, 1000], headers });
    expect(check(o, "heartbeat")).toMatchObject({ status: "fail" });
  });

  it("a stream that ended after 40 s of silence did need a heartbeat", () => {
    const o = observation({ durationMs: 45_000, events: [5], endedAtMs: 40_005 });
    const result = check(o, "heartbeat");
    expect(result.status).toBe("warn");
    expect(result.reason).not.toContain("no heartbeat needed");
  });
});

describe("proxy-buffering: one hop's advice is not given for another", () => {
  it("a server reached directly: advice once, no warning", () => {
    const result = check(observation({ events: [5] }), "proxy-buffering");
    expect(result.status).toBe("skip");
    expect(result.reason).toBe("no proxy or CDN recognised from the response headers");
    expect(result.fix).toContain("X-Accel-Buffering: no");
  });

  it("Apache behind Varnish: their own settings, not nginx's", () => {
    const headers = { server: "Apache/2.4.58", via: "1.1 varnish (Varnish/7.4)" };
    const result = check(observation({ events: [5], headers }), "proxy-buffering");
    expect(result.status).toBe("warn");
    expect(result.reason).toMatch(/^Apache httpd: .*; Varnish: /);
    expect(result.fix).toContain("flushpackets=on");
    expect(result.fix).toContain("return (pipe)");
    expect(`${result.reason} ${result.fix}`).not.toMatch(/nginx|X-Accel/);
  });

  it("nginx without X-Accel-Buffering: no warns with nginx's setting", () => {
    const result = check(
      observation({ events: [5], headers: { server: "nginx" } }),
      "proxy-buffering",
    );
    expect(result.status).toBe("warn");
    expect(result.fix).toContain("X-Accel-Buffering: no");
  });

  it("nginx with X-Accel-Buffering: no passes", () => {
    const headers = { server: "nginx", "x-accel-buffering": "no" };
    const result = check(observation({ events: [5], headers }), "proxy-buffering");
    expect(result).toMatchObject({ status: "pass" });
    expect(result.reason).toContain("nginx (X-Accel-Buffering: no)");
  });

  it("Cloudflare streams: a pass that names it", () => {
    const headers = { server: "cloudflare", "cf-ray": "8f1c-LHR" };
    const result = check(observation({ events: [5], headers }), "proxy-buffering");
    expect(result.status).toBe("pass");
    expect(result.reason).toContain("Cloudflare");
  });

  it("X-Accel-Buffering: yes with no hop known still warns", () => {
    const headers = { "x-accel-buffering": "yes" };
    const result = check(observation({ events: [5], headers }), "proxy-buffering");
    expect(result.status).toBe("warn");
  });

  it("bursts behind Apache name Apache's setting", () => {
    const events = [600, 600, 601, 1200, 1200, 1201];
    const headers = { server: "Apache/2.4.58" };
    const result = check(observation({ durationMs: 2000, events, headers }), "bursts");
    expect(result.status).toBe("warn");
    expect(result.fix).toContain("flushpackets=on");
    expect(result.fix).not.toContain("X-Accel");
  });
});

describe("connect: the cause and fix fit what failed", () => {
  const failed = (extra: Partial<DoctorObservation>): CheckResult => {
    const o: DoctorObservation = { ...observation({}), headers: {}, ...extra };
    delete o.status;
    return runDoctorChecks(o)[0]!;
  };

  it("no headers within the watch: the general cause and several suspects, not only nginx", () => {
    const result = failed({ connectError: "no response headers", noHeadersWithinMs: 2000 });
    expect(result.reason).toContain("no response headers within 2.0 s");
    expect(result.reason).not.toContain("nginx buffers proxied responses by default");
    for (const suspect of ["nginx", "lighttpd", "Kong"]) expect(result.reason).toContain(suspect);
    expect(result.fix).toContain("server.stream-response-body = 2");
  });

  it("an HTTP/2-only server: the fix names doctor --http2", () => {
    const result = failed({
      connectError: "the server speaks only HTTP/2 (TLS refused HTTP/1.1); doctor --http2 reads it",
      connectErrorCode: "ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL",
    });
    expect(result.fix).toContain("doctor --http2");
    expect(result.fix).not.toContain("check the URL");
  });

  it("an untrusted certificate: the fix names --cacert", () => {
    const result = failed({
      connectError: "TLS certificate not trusted (SELF_SIGNED_CERT_IN_CHAIN)",
      connectErrorCode: "SELF_SIGNED_CERT_IN_CHAIN",
    });
    expect(result.fix).toContain("--cacert");
  });
});

describe("other verdicts against their figures", () => {
  it("one lost id is 'id 11', not 'ids 11..11'", () => {
    const o = observation({ events: [5, 10, 15, 20, 25, 30, 35, 40, 45, 50] });
    o.resume = {
      ran: true,
      lastEventIdSent: "10",
      status: 200,
      stream: (() => {
        const tally = new StreamTally();
        tally.chunk(1);
        tally.event(1, "12", 10);
        return tally.summary(10);
      })(),
      watchedMs: 10,
    };
    const result = check(o, "resume");
    expect(result.status).toBe("warn");
    expect(result.reason).toContain("id 11 was lost");
  });

  it("a silent resume after sparse events could not be judged; after frequent ones, warns", () => {
    const resumed = (o: DoctorObservation) => {
      o.resume = {
        ran: true,
        lastEventIdSent: String(o.stream.eventsWithNewIds),
        status: 200,
        stream: new StreamTally().summary(1000),
        watchedMs: 1000,
      };
      return check(o, "resume");
    };
    // Two events in 6 s: the next one was not due within 1 s of the reconnect.
    const sparse = resumed(observation({ durationMs: 6000, events: [5, 3000] }));
    expect(sparse.status).toBe("skip");
    expect(sparse.reason).toMatch(/^could not be judged: .*one every 3\.0 s/);
    const frequent = resumed(
      observation({ durationMs: 2000, events: Array.from({ length: 20 }, (_, i) => i * 100) }),
    );
    expect(frequent.status).toBe("warn");
    expect(frequent.reason).toContain("though the first watch saw one every 100 ms");
  });

  it("a stream behind Envoy that ends at 15 s: named as Envoy's route timeout", () => {
    const headers = { server: "envoy", "x-envoy-upstream-service-time": "3" };
    const o = observation({ durationMs: 15_050, events: [5, 5000, 10_000], headers });
    o.endedAtMs = 15_010;
    const result = check(o, "events");
    expect(result.status).toBe("warn");
    expect(result.reason).toContain("3 events, then the stream ended after 15.0 s");
    expect(result.reason).toContain("Envoy ends a response at its route timeout, 15 s");
    expect(result.fix).toContain("timeout: 0s");
  });

  it("comments alone: event-size does not claim a 0 B event", () => {
    const result = check(observation({ comments: [250, 500] }), "event-size");
    expect(result.reason).not.toContain("largest event 0 B");
    expect(result.reason).toMatch(/^no events/);
  });
});

describe("the report", () => {
  const report = (o: DoctorObservation) => buildDoctorReport(o, runDoctorChecks(o));
  const plain = new Chalk({ level: 0 });

  it("one event is '1 event'", () => {
    const text = formatDoctorReport(report(observation({ events: [5] })), plain);
    expect(text).toContain("(watched 6.0 s, 1 event)");
  });

  it("names the hops, or says none was recognised", () => {
    const behind = observation({ events: [5], headers: { server: "nginx/1.27.0" } });
    expect(formatDoctorReport(report(behind), plain)).toContain(
      "hops: nginx (Server: nginx/1.27.0)",
    );
    expect(formatDoctorReport(report(observation({ events: [5] })), plain)).toContain(
      "hops: none recognised from the response headers",
    );
  });

  it("--json keeps every earlier field and adds the hops", () => {
    const behind = observation({ events: [5], headers: { via: "1.1 vegur" } });
    const json = JSON.parse(formatDoctorJson(report(behind))) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(["url", "ok", "durationMs", "events", "counts", "checks", "hops"]),
    );
    expect(json.hops).toEqual([{ name: "Heroku router", evidence: "Via: 1.1 vegur" }]);
  });
});
