/**
 * The script of a report page (page.ts), run in the browser: reads the chart list from the
 * page's JSON and draws each with uPlot, which esbuild bundles in at build time. Marks
 * (instants) and bands (spans) are drawn on the same axis by a draw hook; every label reaches
 * the DOM as text, never as HTML.
 */
import uPlot from "uplot";
import type { ChartSpec } from "./chart-spec.js";

function drawExtras(spec: ChartSpec): uPlot.Plugin {
  return {
    hooks: {
      drawClear: [
        (plot: uPlot) => {
          const context = plot.ctx;
          const { top, height } = plot.bbox;
          context.save();
          for (const band of spec.bands ?? []) {
            const from = plot.valToPos(band.from, "x", true);
            const to = plot.valToPos(band.to, "x", true);
            context.fillStyle = band.color;
            context.fillRect(from, top, Math.max(1, to - from), height);
          }
          context.restore();
        },
      ],
      draw: [
        (plot: uPlot) => {
          const context = plot.ctx;
          const { top, height, left, width } = plot.bbox;
          context.save();
          context.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
          for (const [position, mark] of (spec.marks ?? []).entries()) {
            const x = plot.valToPos(mark.x, "x", true);
            context.strokeStyle = mark.color;
            context.lineWidth = 2 * devicePixelRatio;
            context.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
            context.beginPath();
            context.moveTo(x, top);
            context.lineTo(x, top + height);
            context.stroke();
            context.fillStyle = mark.color;
            // Staggered, so marks close together keep readable labels.
            context.fillText(
              mark.label,
              x + 3,
              top + (12 + (position % 3) * 13) * devicePixelRatio,
            );
          }
          if (spec.threshold !== undefined) {
            const y = plot.valToPos(spec.threshold.y, "y", true);
            context.strokeStyle = "#b3261e";
            context.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
            context.beginPath();
            context.moveTo(left, y);
            context.lineTo(left + width, y);
            context.stroke();
            context.fillStyle = "#b3261e";
            context.fillText(spec.threshold.label, left + 4, y - 4);
          }
          context.textAlign = "left";
          context.restore();
        },
      ],
    },
  };
}

function draw(spec: ChartSpec, into: HTMLElement): void {
  const box = document.createElement("div");
  box.className = spec.wide ? "chart wide" : "chart";
  box.id = spec.id;
  const heading = document.createElement("h2");
  heading.textContent = spec.title;
  box.append(heading);
  into.append(box);
  const points = spec.series.reduce(
    (count, series) => count + series.values.filter((value) => value !== null).length,
    0,
  );
  box.dataset.points = String(points);
  if (spec.x.length === 0 || points === 0) {
    const note = document.createElement("p");
    note.className = "note";
    note.textContent = "No data in this run.";
    box.append(note);
    return;
  }
  const bars = uPlot.paths.bars?.({ size: [0.9, 40] });
  const options: uPlot.Options = {
    width: spec.wide ? 1000 : 540,
    height: 220,
    plugins: [drawExtras(spec)],
    cursor: { y: false },
    scales: {
      x: { time: false, ...(spec.logX ? { distr: 3 } : {}) },
    },
    axes: [
      { label: spec.xLabel, size: 40 },
      { label: spec.yLabel, size: 60 },
    ],
    series: [
      { label: spec.xLabel },
      ...spec.series.map((series) => ({
        label: series.label,
        stroke: series.color,
        width: 1.5,
        spanGaps: false,
        ...(series.bars && bars !== undefined ? { paths: bars, fill: series.color, width: 0 } : {}),
        ...(series.points
          ? { paths: () => null, points: { show: true, size: 7, fill: series.color } }
          : {}),
      })),
    ],
  };
  const data = [spec.x, ...spec.series.map((series) => series.values)] as uPlot.AlignedData;
  new uPlot(options, data, box);
}

const charts = JSON.parse(
  document.getElementById("report-charts")?.textContent ?? "[]",
) as ChartSpec[];
const container = document.getElementById("charts");
if (container !== null) {
  for (const spec of charts) draw(spec, container);
  document.body.dataset.charts = "drawn";
}
