/**
 * The `load` report as text for a terminal (the default; --json prints the object itself).
 * Pure: colours come in as functions, off when output is not a terminal. Everything the server
 * controlled (error examples) was escaped when it was recorded.
 */
import { escapeForTerminalLine } from "../../terminal/escape.js";
import { formatPreciseMs } from "../../terminal/units.js";
import type { PercentileSummary } from "../accounting/histogram.js";
import type { LoadReport } from "./report.js";

export interface Paint {
  good(text: string): string;
  bad(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export const noPaint: Paint = {
  good: (text) => text,
  bad: (text) => text,
  dim: (text) => text,
  bold: (text) => text,
};

const count = (value: number) => Math.round(value).toLocaleString("en-US");

const idsExplained: Record<LoadReport["ids"], string> = {
  none: "events carry no id: delivery is counted, not checked",
  sequence: "ids are a sequence: gaps are missing events",
  numeric: "numeric ids with gaps between them: checked against the other clients",
  opaque: "ids checked against the other clients",
  mixed: "numeric and other ids",
};

export function formatReportText(report: LoadReport, paint: Paint = noPaint): string {
  const lines: string[] = [];
  const several = report.runs.length > 1;
  const seconds = (report.durationMs / 1000).toFixed(1);
  lines.push(
    `${paint.bold("load")}  ${escapeForTerminalLine(report.url)} · ${count(report.clients)} clients · ${seconds} s${several ? ` · ${report.runs.length} runs merged` : ""}`,
  );
  lines.push(`      ${verdict(report, paint)}`);
  const dropped = Object.values(report.connections.dropped).reduce((sum, n) => sum + (n ?? 0), 0);
  lines.push(
    `clients  ${count(report.connected)} connected at the end (peak ${count(report.peakConnected)}) · ${paintCount(report.failed, "failing", paint)} · ${count(report.reconnects)} reconnects · ${count(dropped)} streams dropped`,
  );
  lines.push(
    `events   ${count(report.events)} (${count(report.eventsPerSecond)}/s) · ${paintCount(report.missing, "missing", paint)} · ${paintCount(report.duplicates, "duplicates", paint)} · ${paintCount(report.outOfOrder, "out of order", paint)}`,
  );
  lines.push(paint.dim(`         ${idsExplained[report.ids]}`));
  lines.push("");
  lines.push(
    paint.dim(`timings         ${["p50", "p90", "p99", "max"].map((h) => h.padStart(9)).join("")}`),
  );
  const timing = (name: string, summary: PercentileSummary | null, note = "") => {
    const cells =
      summary === null
        ? paint.dim("        -  (not measured)")
        : [summary.p50, summary.p90, summary.p99, summary.max]
            .map((ms) => formatPreciseMs(ms).padStart(9))
            .join("");
    lines.push(`  ${name.padEnd(14)}${cells}${note}`);
  };
  timing("connect", report.connect);
  timing("first byte", report.firstByte);
  timing("first event", report.firstEvent);
  timing("skew", report.skew, paint.dim("  (first to last client, per id)"));
  if (report.latency !== null || report.latencyUnreadable > 0) {
    const problems = [
      report.latencyUnreadable > 0
        ? `${count(report.latencyUnreadable)} events without the field`
        : "",
      report.latencyNegative > 0
        ? `${count(report.latencyNegative)} sent "in the future" (clocks apart)`
        : "",
    ].filter((text) => text !== "");
    timing(
      "latency",
      report.latency,
      problems.length > 0 ? paint.dim(`  (${problems.join(", ")})`) : "",
    );
  }
  lines.push("");
  const generator = report.generator;
  lines.push(
    `generator  CPU ${generator.cpuPercent}% of a core · event loop busy ${generator.eventLoopBusyPercent}% (timer delay p99 ${formatPreciseMs(generator.eventLoopDelayP99Ms)}) · peak RSS ${generator.peakRssMb} MB${generator.processes > 1 ? ` (largest of ${generator.processes} processes)` : ""}`,
  );
  if (generator.saturated) {
    lines.push(
      paint.bad("           saturated: latency and skew include the generator's own delay"),
    );
  }
  if (report.errors.length > 0) {
    lines.push("");
    lines.push("failed connection attempts");
    for (const error of report.errors) {
      lines.push(
        `  ${error.reason.padEnd(13)} ${count(error.count).padStart(8)}  ${paint.dim(escapeForTerminalLine(error.example))}`,
      );
    }
  }
  if (report.worstClients.length > 0) {
    lines.push("");
    lines.push("worst clients");
    for (const client of report.worstClients) {
      const name = several
        ? `${escapeForTerminalLine(client.run)} #${client.client}`
        : `#${client.client}`;
      const parts = [
        `${count(client.events)} events`,
        client.missing > 0 ? paint.bad(`${count(client.missing)} missing`) : "",
        client.duplicates > 0 ? paint.bad(`${count(client.duplicates)} duplicates`) : "",
        client.outOfOrder > 0 ? `${count(client.outOfOrder)} out of order` : "",
        client.reconnects > 0 ? `${count(client.reconnects)} reconnects` : "",
        client.failures > 0
          ? `${count(client.failures)} failed attempts (last: ${client.lastFailure})`
          : "",
      ].filter((part) => part !== "");
      lines.push(`  ${name.padEnd(8)} ${parts.join(" · ")}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function paintCount(value: number, label: string, paint: Paint): string {
  const text = `${count(value)} ${label}`;
  return value > 0 ? paint.bad(text) : text;
}

function verdict(report: LoadReport, paint: Paint): string {
  const problems: string[] = [];
  if (report.missing > 0) problems.push(`${count(report.missing)} events missing`);
  if (report.duplicates > 0) problems.push(`${count(report.duplicates)} duplicates`);
  if (report.connected < report.clients) {
    problems.push(
      `${count(report.clients - report.connected)} of ${count(report.clients)} clients not connected at the end`,
    );
  }
  if (problems.length > 0) return paint.bad(`✘ ${problems.join(", ")}`);
  if (report.ids === "none") {
    return paint.good(
      `✔ all ${count(report.clients)} clients connected (events carry no ids to check)`,
    );
  }
  return paint.good(
    `✔ all ${count(report.clients)} clients connected; every event reached every client`,
  );
}
