/**
 * `load --report run.html`: the report as one self-contained page (src/report-html/): the
 * settings and each --max-* assertion's pass or fail at the top, then clients, events, latency
 * and skew percentiles, id problems and the generator's own usage over time, the connect /
 * first-byte / first-event distributions, and the worst clients. Pure.
 */
import type { ChartSpec } from "../../report-html/chart-spec.js";
import { escapeHtml } from "../../report-html/escape-html.js";
import { renderReportPage } from "../../report-html/page.js";
import { failedAssertions, type LoadAssertions } from "./assertions.js";
import { histogramPoints } from "./histogram-points.js";
import type { LoadReport } from "./report.js";
import type { EncodedTimeline, TimelineColumn } from "./timeline.js";

const colors = {
  green: "#2e7d32",
  blue: "#1565c0",
  red: "#c62828",
  orange: "#ef6c00",
  purple: "#6a1b9a",
  grey: "#607d8b",
};

/** The event loop busy share (%) above which a second counts as saturated. */
const saturatedBusyPercent = 98;

export function renderLoadReportHtml(report: LoadReport, assertions: LoadAssertions): string {
  return renderReportPage({
    title: `sse-tool load: ${report.url}`,
    summaryHtml: summaryHtml(report, assertions),
    charts: [...timelineCharts(report), ...distributionCharts(report)],
    detailsHtml: detailsHtml(report),
  });
}

function card(label: string, value: string, className = ""): string {
  return `<div class="card"><span>${escapeHtml(label)}</span><b class="${className}">${escapeHtml(value)}</b></div>`;
}

const count = (value: number) => value.toLocaleString("en-US");
const ms = (value: number | undefined) => (value === undefined ? "–" : `${value} ms`);

function summaryHtml(report: LoadReport, assertions: LoadAssertions): string {
  const rows = assertionRows(report, assertions);
  const settings = [
    card("clients", count(report.clients)),
    card(
      "connected at the end",
      count(report.connected),
      report.connected < report.clients ? "warn" : "",
    ),
    card("events", count(report.events)),
    card("events / s", count(report.eventsPerSecond)),
    card("missing", count(report.missing), report.missing > 0 ? "fail" : ""),
    card("duplicates", count(report.duplicates), report.duplicates > 0 ? "warn" : ""),
    card("out of order", count(report.outOfOrder), report.outOfOrder > 0 ? "warn" : ""),
    card("skew p99", ms(report.skew?.p99)),
    card("latency p99", ms(report.latency?.p99)),
    card("duration", `${(report.durationMs / 1000).toFixed(1)} s`),
  ];
  const warnings = report.warnings
    .map((warning) => `<p class="warn">${escapeHtml(warning)}</p>`)
    .join("\n");
  const runs = report.runs
    .map(
      (run) =>
        `<tr><td>${escapeHtml(run.label)}</td><td>${escapeHtml(run.url)}</td><td>${count(run.clients)}</td><td>${escapeHtml(run.startedAt)}</td><td>${(run.durationMs / 1000).toFixed(1)} s</td><td>${run.generator.cpuPercent}% CPU, ${run.generator.peakRssMb} MB${run.generator.saturated ? ' <span class="fail">saturated</span>' : ""}</td></tr>`,
    )
    .join("\n");
  return `<section id="settings">
<div class="cards">${settings.join("")}</div>
<h2>Assertions</h2>
<table id="assertions"><tr><th>assertion</th><th>result</th></tr>
${rows.length === 0 ? '<tr><td colspan="2">none given (--max-loss, --max-errors, --max-skew-p99, --min-connected)</td></tr>' : rows.join("\n")}
</table>
${warnings}
<h2>Runs</h2>
<table id="runs"><tr><th>run</th><th>URL</th><th>clients</th><th>started</th><th>duration</th><th>generator</th></tr>
${runs}
</table>
</section>`;
}

/** One row per --max-* flag given: pass, or the failure line. */
function assertionRows(report: LoadReport, assertions: LoadAssertions): string[] {
  const rows: string[] = [];
  const one = (flag: string, single: LoadAssertions) => {
    const failure = failedAssertions(report, single)[0];
    rows.push(
      failure === undefined
        ? `<tr><td>${escapeHtml(flag)}</td><td class="pass">pass</td></tr>`
        : `<tr><td>${escapeHtml(flag)}</td><td class="fail">fail: ${escapeHtml(failure)}</td></tr>`,
    );
  };
  const { maxLoss, maxErrors, maxSkewP99Ms, minConnected } = assertions;
  if (maxLoss !== undefined) {
    one(`--max-loss ${"count" in maxLoss ? maxLoss.count : `${maxLoss.percent}%`}`, { maxLoss });
  }
  if (maxErrors !== undefined) one(`--max-errors ${maxErrors}`, { maxErrors });
  if (maxSkewP99Ms !== undefined) one(`--max-skew-p99 ${maxSkewP99Ms} ms`, { maxSkewP99Ms });
  if (minConnected !== undefined) one(`--min-connected ${minConnected}`, { minConnected });
  return rows;
}

function timelineCharts(report: LoadReport): ChartSpec[] {
  const timeline = report.timeline;
  if (timeline === undefined) return [];
  const x = timeline.columns.connected.map((_, slot) => slot * timeline.stepSeconds);
  const series = (column: TimelineColumn, label: string, color: string) => ({
    label,
    values: timeline.columns[column],
    color,
  });
  const chart = (
    id: string,
    title: string,
    yLabel: string,
    list: ChartSpec["series"],
    extra: Partial<ChartSpec> = {},
  ): ChartSpec => ({ id, title, xLabel: "s", yLabel, xKind: "time", x, series: list, ...extra });
  return [
    chart("clients", "Clients", "clients", [
      series("connected", "connected", colors.green),
      series("connecting", "connecting", colors.blue),
      series("failed", "failed", colors.red),
    ]),
    chart("events", "Events delivered per second", "events/s", [
      series("eventsPerSecond", "events/s", colors.blue),
    ]),
    chart("latency", "End-to-end latency (--latency-field)", "ms", [
      series("latencyP50", "p50", colors.green),
      series("latencyP95", "p95", colors.orange),
      series("latencyP99", "p99", colors.red),
    ]),
    chart("skew", "Fan-out skew (first to last client per id)", "ms", [
      series("skewP50", "p50", colors.green),
      series("skewP95", "p95", colors.orange),
      series("skewP99", "p99", colors.red),
    ]),
    chart("ids", "Missing, duplicate and out-of-order ids", "ids/s", [
      series("missingPerSecond", "missing", colors.red),
      series("duplicatesPerSecond", "duplicates", colors.orange),
      series("outOfOrderPerSecond", "out of order", colors.purple),
    ]),
    chart(
      "generator",
      "The generator's own CPU and event loop",
      "%",
      [
        series("cpuPercent", "CPU % of a core", colors.blue),
        series("eventLoopBusyPercent", "event loop busy %", colors.orange),
      ],
      {
        bands: saturatedBands(timeline),
        threshold: { y: saturatedBusyPercent, label: "saturated" },
      },
    ),
    chart("generator-memory", "The generator's own memory", "MB", [
      series("rssMb", "RSS MB", colors.grey),
    ]),
  ];
}

/** The seconds in which the generator's event loop was saturated, shaded. */
function saturatedBands(timeline: EncodedTimeline): NonNullable<ChartSpec["bands"]> {
  const bands: NonNullable<ChartSpec["bands"]> = [];
  const busy = timeline.columns.eventLoopBusyPercent;
  for (let slot = 0; slot < busy.length; slot++) {
    if ((busy[slot] ?? 0) < saturatedBusyPercent) continue;
    const from = slot * timeline.stepSeconds;
    const last = bands.at(-1);
    if (last !== undefined && last.to === from) last.to = from + timeline.stepSeconds;
    else
      bands.push({
        from,
        to: from + timeline.stepSeconds,
        label: "saturated",
        color: "rgba(198, 40, 40, 0.15)",
      });
  }
  return bands;
}

function distributionCharts(report: LoadReport): ChartSpec[] {
  const names = [
    ["connect", "Connect time"],
    ["firstByte", "First byte (response head)"],
    ["firstEvent", "First event"],
  ] as const;
  return names.map(([name, title]) => {
    const { x, counts } = histogramPoints(report.histograms[name]);
    return {
      id: `distribution-${name}`,
      title: `${title} distribution`,
      xLabel: "ms",
      yLabel: "connections",
      xKind: "value",
      x,
      logX: x.length > 1 && x[0]! > 0,
      series: [{ label: "connections", values: counts, color: colors.blue, bars: true }],
    };
  });
}

function detailsHtml(report: LoadReport): string {
  const worst = report.worstClients
    .map(
      (client) =>
        `<tr><td>${escapeHtml(client.run)}</td><td>#${client.client}</td><td>${count(client.events)}</td><td>${count(client.missing)}</td><td>${count(client.duplicates)}</td><td>${count(client.outOfOrder)}</td><td>${count(client.reconnects)}</td><td>${count(client.failures)}</td><td>${escapeHtml(client.lastFailure ?? "")}</td></tr>`,
    )
    .join("\n");
  const errors = report.errors
    .map(
      (error) =>
        `<tr><td>${escapeHtml(error.reason)}</td><td>${count(error.count)}</td><td>${escapeHtml(error.example)}</td></tr>`,
    )
    .join("\n");
  return `<section id="details">
<h2>Worst clients</h2>
<table id="worst-clients"><tr><th>run</th><th>client</th><th>events</th><th>missing</th><th>duplicates</th><th>out of order</th><th>reconnects</th><th>failures</th><th>last failure</th></tr>
${worst === "" ? '<tr><td colspan="9">every client received every event</td></tr>' : worst}
</table>
${errors === "" ? "" : `<h2>Connection errors</h2>\n<table id="errors"><tr><th>reason</th><th>count</th><th>example</th></tr>\n${errors}\n</table>`}
</section>`;
}
