/**
 * `doctor --report doctor.html`: the checks as in the terminal, then the watch on one time
 * axis: the headers, each event and comment as a mark, bursts and silences shaded, the end of
 * the stream and the resume test's reconnect. One self-contained page (src/report-html/). Pure.
 */
import type { ChartBand, ChartMark, ChartSpec } from "../../report-html/chart-spec.js";
import { escapeHtml } from "../../report-html/escape-html.js";
import { renderReportPage } from "../../report-html/page.js";
import type { DoctorReport } from "../report.js";
import { burstGapMs, burstMinEvents, burstSilenceMs } from "../stream-tally.js";
import type { WatchMark, WatchTimeline } from "./watch-timeline.js";

/** Marks listed in the table under the chart. */
const marksListed = 100;

const markColors: Partial<Record<WatchMark["kind"], string>> = {
  headers: "#2e7d32",
  end: "#c62828",
  "resume-request": "#6a1b9a",
  "resume-headers": "#6a1b9a",
};
const markNames: Partial<Record<WatchMark["kind"], string>> = {
  headers: "headers",
  end: "stream ended",
  "resume-request": "reconnect (Last-Event-ID)",
  "resume-headers": "resumed headers",
};

export function renderDoctorReportHtml(report: DoctorReport, timeline: WatchTimeline): string {
  return renderReportPage({
    title: `sse-tool doctor: ${report.url}`,
    summaryHtml: checksHtml(report),
    charts: [watchChart(timeline)],
    detailsHtml: marksHtml(timeline),
  });
}

function checksHtml(report: DoctorReport): string {
  const rows = report.checks
    .map(
      (check) =>
        `<tr><td>${escapeHtml(check.id)}</td><td class="${check.status === "fail" ? "fail" : check.status === "warn" ? "warn" : check.status === "pass" ? "pass" : ""}">${check.status.toUpperCase()}</td><td>${escapeHtml(check.reason)}${check.fix === undefined ? "" : `<br><i>${escapeHtml(check.fix)}</i>`}</td></tr>`,
    )
    .join("\n");
  const hops = report.hops.map((hop) => `${hop.name} (${hop.evidence})`).join(", ");
  const { pass, warn, fail, skip } = report.counts;
  return `<section id="summary">
<p class="${report.ok ? "pass" : "fail"}"><b>${report.ok ? "ok" : "problems found"}</b>: ${pass} pass, ${warn} warn, ${fail} fail, ${skip} skipped; ${report.events} events in ${(report.durationMs / 1000).toFixed(1)} s</p>
<p>hops: ${escapeHtml(hops === "" ? "none recognised" : hops)}</p>
<table id="checks"><tr><th>check</th><th>result</th><th>what was seen</th></tr>
${rows}
</table>
</section>`;
}

function watchChart(timeline: WatchTimeline): ChartSpec {
  const seconds = (ms: number) => Math.round(ms) / 1000;
  // Every mark's time is on the axis: the headers before the first event, the reconnect after.
  const x = [...new Set(timeline.marks.map((mark) => seconds(mark.atMs)))].sort((a, b) => a - b);
  const index = new Map(x.map((value, position) => [value, position]));
  const column = (kind: WatchMark["kind"], y: number) => {
    const values = new Array<number | null>(x.length).fill(null);
    for (const mark of timeline.marks) {
      if (mark.kind === kind) values[index.get(seconds(mark.atMs))!] = y;
    }
    return values;
  };
  const marks: ChartMark[] = [];
  for (const mark of timeline.marks) {
    const name = markNames[mark.kind];
    if (name === undefined) continue;
    marks.push({ x: seconds(mark.atMs), label: name, color: markColors[mark.kind]! });
  }
  return {
    id: "watch",
    title: "The watch: headers, events, comments, bursts and silences, the resume test",
    xLabel: "s since the request",
    yLabel: "",
    xKind: "time",
    wide: true,
    x,
    series: [
      { label: "event", values: column("event", 1), color: "#1565c0", points: true },
      { label: "comment", values: column("comment", 0.5), color: "#607d8b", points: true },
      {
        label: "event after resume",
        values: column("resume-event", 1.5),
        color: "#6a1b9a",
        points: true,
      },
    ],
    marks,
    bands: shadedSpans(timeline.marks),
  };
}

/** Silences (no event or comment for burstSilenceMs) in grey, bursts after them in orange. */
export function shadedSpans(marks: readonly WatchMark[]): ChartBand[] {
  const bands: ChartBand[] = [];
  const times = marks
    .filter((mark) => mark.kind === "headers" || mark.kind === "event" || mark.kind === "comment")
    .map((mark) => mark.atMs);
  const events = marks.filter((mark) => mark.kind === "event").map((mark) => mark.atMs);
  for (let index = 1; index < times.length; index++) {
    const gap = times[index]! - times[index - 1]!;
    if (gap >= burstSilenceMs) {
      bands.push({
        from: times[index - 1]! / 1000,
        to: times[index]! / 1000,
        label: "silence",
        color: "rgba(96, 125, 139, 0.15)",
      });
    }
  }
  let start = 0;
  for (let index = 1; index <= events.length; index++) {
    if (index < events.length && events[index]! - events[index - 1]! < burstGapMs) continue;
    const size = index - start;
    const silence = start === 0 ? Number.POSITIVE_INFINITY : events[start]! - events[start - 1]!;
    if (size >= burstMinEvents && silence >= burstSilenceMs) {
      bands.push({
        from: events[start]! / 1000 - 0.02,
        to: events[index - 1]! / 1000 + 0.02,
        label: "burst",
        color: "rgba(239, 108, 0, 0.35)",
      });
    }
    start = index;
  }
  return bands;
}

function marksHtml(timeline: WatchTimeline): string {
  const rows = timeline.marks
    .slice(0, marksListed)
    .map(
      (mark) =>
        `<tr><td>${(mark.atMs / 1000).toFixed(3)} s</td><td>${escapeHtml(mark.kind)}</td><td>${escapeHtml(mark.label)}</td></tr>`,
    )
    .join("\n");
  const more =
    timeline.marks.length - Math.min(marksListed, timeline.marks.length) + timeline.dropped;
  return `<section id="marks">
<h2>What happened, in order</h2>
<table id="watch-marks"><tr><th>time</th><th>what</th><th>name and id, or comment</th></tr>
${rows}
</table>
${more > 0 ? `<p class="note">and ${more} more</p>` : ""}
</section>`;
}
