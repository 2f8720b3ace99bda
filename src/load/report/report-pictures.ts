/**
 * The end of `load`'s text report on a terminal: small Unicode sparklines of the timeline
 * (clients, events per second, latency and skew p99, missing ids) and the first-event
 * distribution. Only where colour is on (a terminal, not NO_COLOR): a pipe gets the numbers
 * alone. Pure.
 */
import { histogramLine, sparkline } from "../../terminal/sparkline.js";
import { formatPreciseMs } from "../../terminal/units.js";
import { histogramPoints } from "./histogram-points.js";
import type { LoadReport } from "./report.js";
import type { Paint } from "./report-text.js";
import type { TimelineColumn } from "./timeline.js";

const width = 48;

export function formatReportPictures(report: LoadReport, paint: Paint): string {
  const timeline = report.timeline;
  const lines: string[] = [];
  if (timeline !== undefined && timeline.columns.connected.length > 1) {
    const seconds = timeline.columns.connected.length * timeline.stepSeconds;
    lines.push(paint.bold(`over time (${seconds} s)`));
    const row = (label: string, column: TimelineColumn, unit: (value: number) => string) => {
      const values = timeline.columns[column].map((value) => value ?? Number.NaN);
      const finite = values.filter(Number.isFinite);
      if (finite.length === 0) return;
      const high = finite.reduce((a, b) => Math.max(a, b));
      lines.push(
        `  ${label.padEnd(13)} ${sparkline(values, width)} ${paint.dim(`max ${unit(high)}`)}`,
      );
    };
    const count = (value: number) => Math.round(value).toLocaleString("en-US");
    row("connected", "connected", count);
    row("events/s", "eventsPerSecond", count);
    row("latency p99", "latencyP99", formatPreciseMs);
    row("skew p99", "skewP99", formatPreciseMs);
    if (report.missing > 0) row("missing/s", "missingPerSecond", count);
  }
  const firstEvent = histogramPoints(report.histograms.firstEvent);
  if (firstEvent.x.length > 0) {
    // One value per sample would be unbounded: the buckets, each repeated by its count, capped.
    const samples: number[] = [];
    const scale = Math.max(1, Math.ceil(report.histograms.firstEvent.count / 10_000));
    firstEvent.x.forEach((x, index) => {
      for (let n = 0; n < Math.ceil(firstEvent.counts[index]! / scale); n++) samples.push(x);
    });
    lines.push(`  ${"first event".padEnd(13)} ${histogramLine(samples, formatPreciseMs, 24)}`);
  }
  return lines.length === 0 ? "" : `\n${lines.join("\n")}\n`;
}
