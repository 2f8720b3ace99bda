/**
 * One self-contained HTML report: its style, its data and the chart script (uPlot, bundled at
 * build time) all inline, nothing fetched when it is opened, so it works as a mail attachment
 * or a CI artefact opened from disk. Load's and doctor's reports use it. Pure.
 *
 * The page's Content-Security-Policy allows no network at all and only its own inline script.
 */
import type { ChartSpec } from "./chart-spec.js";
import chartScript from "./charts-script.ts?browser";
import { escapeHtml, jsonForScript } from "./escape-html.js";
import { reportStyle } from "./style.js";

export interface ReportPage {
  title: string;
  /** HTML above the charts, built with escapeHtml by the caller. */
  summaryHtml: string;
  charts: ChartSpec[];
  /** HTML below the charts (tables), built with escapeHtml. */
  detailsHtml?: string;
}

export function renderReportPage(page: ReportPage): string {
  const policy =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${reportStyle}</style>
</head>
<body>
<header><h1>${escapeHtml(page.title)}</h1></header>
<main>
${page.summaryHtml}
<section id="charts"></section>
${page.detailsHtml ?? ""}
</main>
<script type="application/json" id="report-charts">${jsonForScript(page.charts)}</script>
<script>${chartScript}</script>
</body>
</html>
`;
}
