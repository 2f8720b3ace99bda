/**
 * `doctor URL --compare URL2`: the same stream watched on two paths at once (direct and through
 * a proxy, or two proxies), and what the second path changed: response headers added, removed
 * or rewritten, the wait for headers and the first event, bursts, compression, when and how
 * the stream was cut, and the checks whose verdict differs. Pure.
 */
import type { ChalkInstance } from "chalk";
import { escapeForTerminalLine } from "../terminal/escape.js";
import { silenceBeforeClose } from "./checks/idle-cut.js";
import type { CheckId, CheckStatus } from "./checks/result.js";
import { seconds } from "./checks/result.js";
import type { DoctorObservation } from "./observation.js";
import type { DoctorReport } from "./report.js";

/** Headers that differ on every response: no sign of a hop. */
const volatileHeaders = new Set(["date", "age", "expires", "last-modified"]);
/** Header values shown at most this long (a comparison line, not a dump). */
const valueChars = 80;

/** One figure on each path (undefined: did not happen). */
export interface Pair<T> {
  first?: T;
  second?: T;
}

export interface WatchComparison {
  /** The second path's own report. */
  report: DoctorReport;
  changes: {
    headersAdded: string[];
    headersRemoved: string[];
    headersChanged: Array<{ name: string; first: string; second: string }>;
    hops: Pair<string[]>;
    headersAfterMs: Pair<number>;
    /** From the request to the first event. */
    firstEventAfterMs: Pair<number>;
    bursts: Pair<number>;
    largestBurstEvents: Pair<number>;
    compression: Pair<string>;
    /** Silence before something closed the stream, and how it closed. */
    cutAfterMs: Pair<number>;
    cutHow: Pair<string>;
    /** Checks whose verdict differs on the second path. */
    checks: Array<{ id: CheckId; first: CheckStatus; second: CheckStatus; reason: string }>;
  };
}

const shorten = (value: string) =>
  value.length > valueChars ? `${value.slice(0, valueChars)}…` : value;

function firstEventAfter(o: DoctorObservation): number | undefined {
  const at = o.stream.firstEventAtMs;
  return at === undefined ? undefined : (o.headersAfterMs ?? 0) + at;
}

function cutAfter(o: DoctorObservation): number | undefined {
  return o.endedAtMs === undefined ? undefined : silenceBeforeClose(o, o.endedAtMs);
}

const pair = <T>(first: T | undefined, second: T | undefined): Pair<T> => ({
  ...(first === undefined ? {} : { first }),
  ...(second === undefined ? {} : { second }),
});

export function compareWatches(
  first: DoctorObservation,
  second: DoctorObservation,
  secondReport: DoctorReport,
  firstChecks: readonly { id: CheckId; status: CheckStatus }[] = [],
): WatchComparison {
  const a = first.headers;
  const b = second.headers;
  const named = (name: string, value: string) => `${name}: ${shorten(value)}`;
  const headersAdded = Object.keys(b)
    .filter((name) => !(name in a) && !volatileHeaders.has(name))
    .map((name) => named(name, b[name]!));
  const headersRemoved = Object.keys(a)
    .filter((name) => !(name in b) && !volatileHeaders.has(name))
    .map((name) => named(name, a[name]!));
  const headersChanged = Object.keys(b)
    .filter((name) => name in a && a[name] !== b[name] && !volatileHeaders.has(name))
    .map((name) => ({ name, first: shorten(a[name]!), second: shorten(b[name]!) }));
  const firstStatus = new Map(firstChecks.map((check) => [check.id, check.status]));
  const checks = secondReport.checks.flatMap((check) => {
    const was = firstStatus.get(check.id);
    return was === undefined || was === check.status
      ? []
      : [{ id: check.id, first: was, second: check.status, reason: check.reason }];
  });
  const coding = (o: DoctorObservation) =>
    o.status === undefined ? undefined : (o.headers["content-encoding"] ?? "none");
  return {
    report: secondReport,
    changes: {
      headersAdded,
      headersRemoved,
      headersChanged,
      hops: pair(
        undefined,
        secondReport.hops.map((hop) => hop.name),
      ),
      headersAfterMs: pair(first.headersAfterMs, second.headersAfterMs),
      firstEventAfterMs: pair(firstEventAfter(first), firstEventAfter(second)),
      bursts: pair(first.stream.bursts, second.stream.bursts),
      largestBurstEvents: pair(
        first.stream.largestBurst?.events ?? 0,
        second.stream.largestBurst?.events ?? 0,
      ),
      compression: pair(coding(first), coding(second)),
      cutAfterMs: pair(cutAfter(first), cutAfter(second)),
      cutHow: pair(
        first.endedAtMs === undefined ? undefined : first.endedHow,
        second.endedAtMs === undefined ? undefined : second.endedHow,
      ),
      checks,
    },
  };
}

function figure(ms: number | undefined): string {
  return ms === undefined ? "-" : seconds(ms);
}

function cut(ms: number | undefined, how: string | undefined): string {
  if (ms === undefined) return "stayed open";
  const closed = how === "end" ? "ended" : how === "reset" ? "reset" : "cut";
  return `${closed} after ${seconds(ms)} quiet`;
}

/** The comparison as text, after the first path's report. */
export function formatComparison(comparison: WatchComparison, chalk: ChalkInstance): string {
  const { report, changes } = comparison;
  const rows: Array<[string, string, string]> = [
    ["headers after", figure(changes.headersAfterMs.first), figure(changes.headersAfterMs.second)],
    [
      "first event after",
      figure(changes.firstEventAfterMs.first),
      figure(changes.firstEventAfterMs.second),
    ],
    [
      "bursts",
      `${changes.bursts.first ?? 0} (up to ${changes.largestBurstEvents.first ?? 0} at once)`,
      `${changes.bursts.second ?? 0} (up to ${changes.largestBurstEvents.second ?? 0} at once)`,
    ],
    ["compression", changes.compression.first ?? "-", changes.compression.second ?? "-"],
    [
      "closed",
      cut(changes.cutAfterMs.first, changes.cutHow.first),
      cut(changes.cutAfterMs.second, changes.cutHow.second),
    ],
  ];
  const hops =
    report.hops.length === 0 ? "none recognised" : report.hops.map((h) => h.name).join(", ");
  const lines = [
    "",
    `${chalk.bold("compared with")} ${escapeForTerminalLine(report.url)} ` +
      chalk.dim(
        `(watched ${(report.durationMs / 1000).toFixed(1)} s, hops: ${escapeForTerminalLine(hops)})`,
      ),
    "",
    `  ${"".padEnd(18)}  ${"first path".padEnd(24)}  second path`,
  ];
  for (const [label, a, b] of rows) {
    const mark = a === b ? " " : chalk.yellow("*");
    lines.push(`${mark} ${label.padEnd(18)}  ${a.padEnd(24)}  ${b}`);
  }
  const headerLines: string[] = [
    ...changes.headersAdded.map((h) => `  header added     ${h}`),
    ...changes.headersRemoved.map((h) => `  header removed   ${h}`),
    ...changes.headersChanged.map((h) => `  header changed   ${h.name}: ${h.first} -> ${h.second}`),
  ];
  const checkLines = changes.checks.map(
    (c) => `  check ${c.id}: ${c.first.toUpperCase()} -> ${c.second.toUpperCase()}  ${c.reason}`,
  );
  const more = [...headerLines, ...checkLines].map(escapeForTerminalLine);
  if (more.length > 0) lines.push("", ...more);
  else lines.push("", "  no header or verdict changed");
  return `${lines.join("\n")}\n`;
}
