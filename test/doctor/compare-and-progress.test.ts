/**
 * The text of `doctor --compare` (escaped, marking what differs) and what a long watch says on
 * stderr (a line every so often in a log, only for a long watch; every second on a terminal).
 */
import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import { runDoctorChecks } from "../../src/doctor/checklist.js";
import { compareWatches, formatComparison } from "../../src/doctor/compare.js";
import { longWatchProgress } from "../../src/doctor/long-watch-progress.js";
import { buildDoctorReport } from "../../src/doctor/report.js";
import { good, observed } from "./watch-fixture.js";

const plain = new Chalk({ level: 0 });

describe("formatComparison", () => {
  it("marks the rows that differ and escapes what the server sent", () => {
    const direct = observed(good());
    const raw = good();
    raw.headers.server = "evil\u001b]0;pwned\u0007";
    raw.headers["content-encoding"] = "gzip";
    const proxied = observed(raw);
    const comparison = compareWatches(
      direct,
      proxied,
      buildDoctorReport(proxied, runDoctorChecks(proxied)),
      runDoctorChecks(direct),
    );
    const text = formatComparison(comparison, plain);
    expect(text).toMatch(/^\* compression +none +gzip$/m);
    expect(text).toMatch(/^ {2}bursts +0 \(up to 0 at once\) +0 \(up to 0 at once\)$/m);
    expect(text).toContain("header added     server: evil\\x1b]0;pwned\\x07");
    expect(text).not.toContain("\u001b");
    expect(text).toMatch(/check compression: PASS -> WARN/);
  });

  it("two identical paths: nothing changed", () => {
    const o = observed(good());
    const report = buildDoctorReport(o, runDoctorChecks(o));
    const text = formatComparison(compareWatches(o, o, report, report.checks), plain);
    expect(text).toContain("no header or verdict changed");
    expect(text).not.toMatch(/^\*/m);
  });
});

describe("longWatchProgress", () => {
  const at = (s: number) => ({ watchedMs: s * 1000, events: 1, quietMs: s * 1000 - 100 });

  it("in a log: nothing for a short watch; a line every 15 s for a long one", () => {
    const said: string[] = [];
    expect(longWatchProgress(29_000, undefined, (line) => said.push(line))).toBeUndefined();
    const progress = longWatchProgress(120_000, undefined, (line) => said.push(line));
    for (let s = 1; s <= 31; s++) progress?.(at(s));
    expect(said).toEqual([
      "sse-tool doctor: watched 15 s of 120 s: 1 event, quiet for 14 s",
      "sse-tool doctor: watched 30 s of 120 s: 1 event, quiet for 29 s",
    ]);
  });

  it("on a terminal: the live line every second, whatever the watch", () => {
    const drawn: string[] = [];
    const progress = longWatchProgress(
      5000,
      (stage) => drawn.push(stage),
      () => {},
    );
    progress?.(at(1));
    progress?.(at(2));
    expect(drawn).toEqual([
      "watched 1 s of 5 s: 1 event, quiet for 0 s",
      "watched 2 s of 5 s: 1 event, quiet for 1 s",
    ]);
  });
});
