/**
 * Formats doctor's check results: a pretty report for the terminal and a JSON report for
 * scripts. Pure; colour is decided by the caller and handed in as a chalk instance.
 */
import type { ChalkInstance } from "chalk";
import { redactUrl } from "../http/redaction.js";
import { escapeForTerminalLine, escapeJsonForTerminal } from "../terminal/escape.js";
import type { CheckResult, CheckStatus } from "./checks/result.js";
import { recogniseHops } from "./hops.js";
import type { DoctorObservation } from "./observation.js";

/** A proxy, CDN or platform the response headers named, and the header that did. */
export interface ReportedHop {
  name: string;
  evidence: string;
}

export interface DoctorReport {
  url: string;
  ok: boolean;
  durationMs: number;
  events: number;
  counts: Record<CheckStatus, number>;
  checks: CheckResult[];
  /** Recognised hops, in the hop table's order; empty when none was recognised. */
  hops: ReportedHop[];
  /** Whether response headers came, so `hops` could be looked for at all. */
  hopsLookedFor: boolean;
}

export function buildDoctorReport(
  observation: DoctorObservation,
  checks: CheckResult[],
): DoctorReport {
  const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const check of checks) counts[check.status]++;
  return {
    url: redactUrl(observation.url),
    ok: counts.fail === 0,
    durationMs: observation.durationMs,
    events: observation.stream.events,
    counts,
    checks,
    hops: recogniseHops(observation.headers).map(({ hop, evidence }) => ({
      name: hop.name,
      evidence,
    })),
    hopsLookedFor: observation.status !== undefined,
  };
}

function hopsLine(report: DoctorReport): string {
  if (!report.hopsLookedFor) return "hops: none known (no response headers)";
  if (report.hops.length === 0) return "hops: none recognised from the response headers";
  return `hops: ${report.hops.map((hop) => `${hop.name} (${hop.evidence})`).join(", ")}`;
}

const labels: Record<CheckStatus, string> = {
  pass: "PASS",
  warn: "WARN",
  fail: "FAIL",
  skip: "SKIP",
};

export function formatDoctorReport(report: DoctorReport, chalk: ChalkInstance): string {
  const paint: Record<CheckStatus, (text: string) => string> = {
    pass: chalk.green,
    warn: chalk.yellow,
    fail: chalk.red.bold,
    skip: chalk.dim,
  };
  let width = 0;
  for (const check of report.checks) width = Math.max(width, check.id.length);
  const lines = [
    `${chalk.bold("sse-tool doctor")} ${escapeForTerminalLine(report.url)} ` +
      chalk.dim(
        `(watched ${(report.durationMs / 1000).toFixed(1)} s, ${report.events} ` +
          `event${report.events === 1 ? "" : "s"})`,
      ),
    chalk.dim(escapeForTerminalLine(hopsLine(report))),
    "",
  ];
  for (const check of report.checks) {
    const reason = escapeForTerminalLine(check.reason);
    lines.push(
      `  ${paint[check.status](labels[check.status])}  ${check.id.padEnd(width)}  ${reason}`,
    );
    if (check.fix !== undefined && check.status !== "pass") {
      const fix = escapeForTerminalLine(check.fix);
      lines.push(`  ${" ".repeat(4)}  ${" ".repeat(width)}  ${chalk.dim(`fix: ${fix}`)}`);
    }
  }
  const { pass, warn, fail, skip } = report.counts;
  lines.push(
    "",
    `${pass} passed, ${warn} warning${warn === 1 ? "" : "s"}, ${fail} failed` +
      (skip > 0 ? `, ${skip} skipped` : ""),
  );
  return `${lines.join("\n")}\n`;
}

/** The report as one JSON line; `forTerminal` escapes what a terminal would act on (still JSON). */
export function formatDoctorJson(report: DoctorReport, forTerminal = false): string {
  const json = JSON.stringify(report);
  return `${forTerminal ? escapeJsonForTerminal(json) : json}\n`;
}
