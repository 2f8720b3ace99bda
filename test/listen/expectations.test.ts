import { describe, expect, it } from "vitest";
import { type ExpectationOptions, ExpectationTracker } from "../../src/listen/expectations.js";
import type { StopReason } from "../../src/listen/outcome.js";

interface Case {
  name: string;
  options: ExpectationOptions;
  events: string[];
  /** Index at which observe() first says "stop", or -1. */
  stopsAt: number;
  reason: StopReason;
  failures: string[];
}

const cases: Case[] = [
  {
    name: "expected events all seen: stops at the last one",
    options: { expectEvents: ["ready", "done"] },
    events: ["ready", "tick", "done", "tick"],
    stopsAt: 2,
    reason: "met",
    failures: [],
  },
  {
    name: "an expected event missing",
    options: { expectEvents: ["ready", "done"] },
    events: ["ready", "tick"],
    stopsAt: -1,
    reason: "ended",
    failures: ['--expect-event "done" not seen'],
  },
  {
    name: "count reached",
    options: { expectCount: 3 },
    events: ["a", "b", "c"],
    stopsAt: 2,
    reason: "met",
    failures: [],
  },
  {
    name: "count short at timeout",
    options: { expectCount: 3 },
    events: ["a"],
    stopsAt: -1,
    reason: "timeout",
    failures: ["--expect-count 3: only 1 event(s)"],
  },
  {
    name: "until-event seen: stops there even if counts are short, and they fail",
    options: { untilEvent: "end", expectCount: 5 },
    events: ["a", "end", "b"],
    stopsAt: 1,
    reason: "until-event",
    failures: ["--expect-count 5: only 2 event(s)"],
  },
  {
    name: "until-event with everything held",
    options: { untilEvent: "end", expectEvents: ["a"] },
    events: ["a", "end"],
    stopsAt: 1,
    reason: "until-event",
    failures: [],
  },
  {
    name: "until-event never seen",
    options: { untilEvent: "end" },
    events: ["a", "b"],
    stopsAt: -1,
    reason: "ended",
    failures: ['--until-event "end" not seen before the stream ended'],
  },
  {
    name: "several failures are all named",
    options: { expectEvents: ["x"], expectCount: 9, untilEvent: "end" },
    events: ["a"],
    stopsAt: -1,
    reason: "timeout",
    failures: [
      '--expect-event "x" not seen',
      "--expect-count 9: only 1 event(s)",
      '--until-event "end" not seen before the timeout',
    ],
  },
];

describe("ExpectationTracker", () => {
  it.each(cases)("$name", ({ options, events, stopsAt, reason, failures }) => {
    const tracker = new ExpectationTracker(options);
    expect(tracker.active).toBe(true);
    // As listen does: no more events are observed once it says stop.
    let stoppedAt = -1;
    for (const [i, type] of events.entries()) {
      if (tracker.observe(type) === "stop") {
        stoppedAt = i;
        break;
      }
    }
    expect(stoppedAt).toBe(stopsAt);
    const verdict = tracker.evaluate(reason);
    if (failures.length === 0) expect(verdict).toEqual({ ok: true });
    else expect(verdict).toMatchObject({ ok: false, failures });
  });

  it("the message names the failure and what was seen", () => {
    const tracker = new ExpectationTracker({ expectEvents: ["done"] });
    for (const type of ["tick", "tick", "ping"]) tracker.observe(type);
    const verdict = tracker.evaluate("ended");
    expect(verdict.ok ? "" : verdict.message).toBe(
      'expectation failed: --expect-event "done" not seen (3 events seen: tick ×2, ping ×1)',
    );
  });

  it("events not counted (filtered out by -e) still satisfy --expect-event", () => {
    const tracker = new ExpectationTracker({ expectEvents: ["ready"], expectCount: 1 });
    expect(tracker.observe("ready", false)).toBe("continue");
    expect(tracker.observe("tick", true)).toBe("stop");
  });

  it("no options: inactive, never stops, always holds", () => {
    const tracker = new ExpectationTracker({});
    expect(tracker.active).toBe(false);
    expect(tracker.observe("a")).toBe("continue");
    expect(tracker.evaluate("ended")).toEqual({ ok: true });
  });

  it("names from the server are escaped in the message (controls, bidi overrides)", () => {
    const tracker = new ExpectationTracker({ expectEvents: ["do\u202ene"] });
    tracker.observe("x\u001b[2J");
    const verdict = tracker.evaluate("ended");
    expect(verdict.ok ? "" : verdict.message).toBe(
      'expectation failed: --expect-event "do\\u202ene" not seen (1 event seen: x\\x1b[2J ×1)',
    );
  });
});
