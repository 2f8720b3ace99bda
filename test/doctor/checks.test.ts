import { describe, expect, it } from "vitest";
import { doctorFailed, runDoctorChecks } from "../../src/doctor/checklist.js";
import type { CheckId } from "../../src/doctor/checks/result.js";
import { StreamTally } from "../../src/doctor/stream-tally.js";
import { event, good, observed, problems, type RawResume, type RawWatch } from "./watch-fixture.js";

type Fault = [name: string, change: (o: RawWatch) => void, expected: Array<[CheckId, string]>];

const faults: Fault[] = [
  [
    "404 error page: only the status, the rest is skipped",
    (o) => {
      o.status = 404;
      o.headers = { "content-type": "text/plain" };
      o.events = [];
    },
    [["status", "fail"]],
  ],
  [
    "404",
    (o) => {
      o.status = 404;
    },
    [["status", "fail"]],
  ],
  [
    "204",
    (o) => {
      o.status = 204;
    },
    [["status", "fail"]],
  ],
  [
    "JSON content type",
    (o) => {
      o.headers["content-type"] = "application/json";
    },
    [["content-type", "fail"]],
  ],
  [
    "latin-1 charset",
    (o) => {
      o.headers["content-type"] = "text/event-stream; charset=iso-8859-1";
    },
    [["content-type", "warn"]],
  ],
  [
    "gzip",
    (o) => {
      o.headers["content-encoding"] = "gzip";
    },
    [["compression", "warn"]],
  ],
  [
    "no Cache-Control",
    (o) => {
      delete o.headers["cache-control"];
    },
    [["cache-control", "warn"]],
  ],
  [
    "no no-transform",
    (o) => {
      o.headers["cache-control"] = "no-cache";
    },
    [["cache-control", "warn"]],
  ],
  [
    "no X-Accel-Buffering behind nginx, too few events to see the stream flow",
    (o) => {
      delete o.headers["x-accel-buffering"];
      o.headers.server = "nginx/1.27.0";
      o.events = o.events.slice(0, 3);
    },
    [["proxy-buffering", "warn"]],
  ],
  [
    "CORS missing",
    (o) => {
      delete o.headers["access-control-allow-origin"];
    },
    [["cors", "fail"]],
  ],
  [
    "CORS other origin",
    (o) => {
      o.headers["access-control-allow-origin"] = "http://other.test";
    },
    [["cors", "fail"]],
  ],
  [
    "bursts after silence",
    (o) => {
      o.events = [0, 1, 2, 3, 4, 5].map((i) => event(i < 3 ? 600 : 1200, String(i + 1)));
      o.resume = {
        ...o.resume,
        ran: true,
        lastEventIdSent: "6",
        status: 200,
        events: [event(1, "7")],
        watchedMs: 10,
      } as RawResume;
    },
    [["bursts", "warn"]],
  ],
  [
    "no heartbeat in 35 s of quiet",
    (o) => {
      o.durationMs = 40_000;
      o.commentTimesMs = [];
      o.chunkTimesMs = [0, 35_000];
    },
    [["heartbeat", "warn"]],
  ],
  [
    "heartbeat every 40 s",
    (o) => {
      o.durationMs = 50_000;
      o.commentTimesMs = [40_000];
      o.chunkTimesMs = [0, 20_000, 40_000];
    },
    [["heartbeat", "warn"]],
  ],
  [
    "silent for 60 s",
    (o) => {
      o.durationMs = 70_000;
      o.chunkTimesMs = [0, 5];
    },
    [["heartbeat", "fail"]],
  ],
  [
    "no ids (resume cannot run)",
    (o) => {
      o.events = o.events.map((e) => ({ ...e, lastEventId: "" }));
      o.resume = { ran: false, reason: "no ids" };
    },
    [["ids", "warn"]],
  ],
  [
    "resume repeats",
    (o) => {
      o.resume = {
        ran: true,
        lastEventIdSent: "10",
        status: 200,
        events: [event(1, "1"), event(2, "2")],
        watchedMs: 10,
      };
    },
    [["resume", "fail"]],
  ],
  [
    "resume loses events",
    (o) => {
      o.resume = {
        ran: true,
        lastEventIdSent: "10",
        status: 200,
        events: [event(1, "14")],
        watchedMs: 10,
      };
    },
    [["resume", "warn"]],
  ],
  [
    "resume rejected",
    (o) => {
      o.resume = { ran: true, lastEventIdSent: "10", status: 500, events: [], watchedMs: 10 };
    },
    [["resume", "fail"]],
  ],
  [
    "resume silent",
    (o) => {
      o.resume = { ran: true, lastEventIdSent: "10", status: 200, events: [], watchedMs: 1000 };
    },
    [["resume", "warn"]],
  ],
  [
    "no retry",
    (o) => {
      o.retryMs = undefined;
    },
    [["retry", "warn"]],
  ],
  [
    "retry 0",
    (o) => {
      o.retryMs = 0;
    },
    [["retry", "warn"]],
  ],
  [
    "mixed line endings",
    (o) => {
      o.lineEndings = { lf: 3, crlf: 5, cr: 0, longestLineBytes: 9 };
    },
    [["line-endings", "warn"]],
  ],
  [
    "lone CR",
    (o) => {
      o.lineEndings = { lf: 0, crlf: 0, cr: 8, longestLineBytes: 9 };
    },
    [["line-endings", "warn"]],
  ],
  [
    "100 KiB line",
    (o) => {
      o.lineEndings.longestLineBytes = 100 * 1024;
    },
    [["event-size", "warn"]],
  ],
  [
    "https HTTP/1.1 only",
    (o) => {
      o.url = "https://x.test/";
      o.alpnProtocol = "http/1.1";
    },
    [["http-version", "warn"]],
  ],
  [
    "no events",
    (o) => {
      o.events = [];
      o.resume = { ran: false, reason: "no ids" };
    },
    [["events", "warn"]],
  ],
];

describe("runDoctorChecks", () => {
  it("a good endpoint passes every check", () => {
    expect(problems(good())).toEqual([]);
    expect(doctorFailed(runDoctorChecks(observed(good())))).toBe(false);
  });

  it("no heartbeat on a busy stream: could not be judged (heartbeats go to idle clients)", () => {
    const busy = good();
    busy.commentTimesMs = [];
    const heartbeat = runDoctorChecks(observed(busy)).find((check) => check.id === "heartbeat");
    expect(heartbeat?.status).toBe("skip");
    expect(heartbeat?.reason).toMatch(/^could not be judged: events kept the stream busy/);
  });

  it.each(faults)("%s: names exactly that fault", (_name, change, expected) => {
    const observation = good();
    change(observation);
    expect(problems(observation)).toEqual(expected);
    expect(doctorFailed(runDoctorChecks(observed(observation)))).toBe(
      expected.some(([, s]) => s === "fail"),
    );
  });

  it("a failed connection reports only that", () => {
    const results = runDoctorChecks({ ...observed(good()), connectError: "ECONNREFUSED" });
    expect(results.map((r) => [r.id, r.status])).toEqual([["connect", "fail"]]);
  });

  it("every warn and fail says how to fix it", () => {
    for (const [, change] of faults) {
      const observation = good();
      change(observation);
      for (const result of runDoctorChecks(observed(observation))) {
        if (result.status === "warn" || result.status === "fail") expect(result.fix).toBeTruthy();
      }
    }
  });

  it("a finished stream (LLM style) needs no heartbeat and resumes to nothing", () => {
    const o = good();
    o.endedAtMs = 400;
    o.commentTimesMs = [];
    o.resume = { ran: true, lastEventIdSent: "10", status: 200, events: [], watchedMs: 50 };
    expect(problems(o)).toEqual([]);
  });
});

describe("bursts (StreamTally, one group at a time)", () => {
  const cases: Array<[string, number[], number]> = [
    ["steady", [0, 150, 300, 450, 600], 0],
    ["backlog at connect is not a burst", [1, 1, 2, 2, 150, 300], 0],
    ["flushed buffer", [600, 600, 601, 1200, 1200, 1201], 2],
    ["two at once is not enough", [500, 500, 1000, 1000], 0],
  ];
  it.each(cases)("%s", (_name, times, count) => {
    const tally = new StreamTally();
    for (const atMs of times) tally.event(atMs, "", 1);
    expect(tally.summary(2000).bursts).toBe(count);
  });
});
