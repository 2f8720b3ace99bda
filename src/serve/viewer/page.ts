/**
 * The viewer page `serve` returns at `GET /`: one self-contained HTML document (inline CSS and
 * script, no external assets, so it works offline and under any CSP-free local setup) that
 * shows the stream live. Its script is script.ts, bundled at build time (see there what the
 * views, the search and the export do, and stream-reader.ts for why it reads with `fetch`). Pure.
 */
import viewerScript from "./script.ts?browser";

export interface ViewerPageOptions {
  /** The stream path the page connects to, e.g. "/events". */
  streamPath: string;
}

/** The whole page. The page passes on a `?token=` it was opened with to the stream request. */
export function renderViewerPage(options: ViewerPageOptions): string {
  const title = escapeHtml(`sse-tool · ${options.streamPath}`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${viewerStyle}</style>
</head>
<body data-stream-path="${escapeHtml(options.streamPath)}">
<header>
  <div class="brand">sse-tool <span class="muted">viewer</span></div>
  <code id="stream-url" class="stream-url"></code>
  <span id="state" class="state" data-state="connecting">connecting</span>
  <span class="spacer"></span>
  <div class="views" role="tablist" aria-label="View">
    <button type="button" role="tab" data-view="events" aria-selected="true">Events</button>
    <button type="button" role="tab" data-view="raw" aria-selected="false">Raw</button>
    <button type="button" role="tab" data-view="comments" aria-selected="false">Comments</button>
  </div>
  <input id="filter" type="search" placeholder="Filter by name" list="event-names"
    autocomplete="off" aria-label="Filter by event name">
  <datalist id="event-names"></datalist>
  <input id="search" type="search" placeholder="Search" autocomplete="off"
    aria-label="Search event data and ids, raw lines, comments">
  <span id="count" class="count" aria-live="polite">0 events</span>
  <button id="pause" type="button">Pause</button>
  <button id="clear" type="button">Clear</button>
  <button id="export" type="button" title="The events shown, as NDJSON (listen --json lines)">Export</button>
</header>
<main>
  <section id="events-view">
    <div class="columns" aria-hidden="true">
      <span>Received</span><span>Event</span><span>Last ID</span><span>Data</span>
    </div>
    <p id="empty" class="empty">Waiting for events…</p>
    <ol id="events" class="events" reversed></ol>
  </section>
  <section id="raw-view" hidden><ol id="raw" class="lines" reversed></ol></section>
  <section id="comments-view" hidden><ol id="comments" class="lines" reversed></ol></section>
</main>
<script>
${viewerScript}</script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const viewerStyle = `
:root {
  color-scheme: light dark;
  --bg: #f7f7f8; --panel: #ffffff; --text: #1d1f23; --muted: #6b7280; --line: #e4e4e7;
  --accent: #2563eb; --mono: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, monospace;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #16181c; --panel: #1e2126; --text: #e6e6e6; --muted: #9ca3af; --line: #2e3238;
    --accent: #60a5fa; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
  background: var(--bg); color: var(--text); }
header { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: 10px;
  align-items: center; padding: 10px 16px; background: var(--panel);
  border-bottom: 1px solid var(--line); }
.brand { font-weight: 650; }
.muted { color: var(--muted); font-weight: 400; }
.stream-url { font-family: var(--mono); font-size: 12px; color: var(--muted); }
.spacer { flex: 1; }
.state { font-size: 12px; padding: 2px 10px 2px 8px; border-radius: 999px;
  border: 1px solid var(--line); white-space: nowrap; }
.state::before { content: ""; display: inline-block; width: 8px; height: 8px; margin-right: 6px;
  border-radius: 50%; background: #a1a1aa; vertical-align: 0; }
.state[data-state="open"]::before { background: #16a34a; }
.state[data-state="connecting"]::before, .state[data-state="reconnecting"]::before {
  background: #f59e0b; }
.state[data-state="closed"]::before, .state[data-state="failed"]::before { background: #dc2626; }
.count { font-variant-numeric: tabular-nums; color: var(--muted); min-width: 6em;
  text-align: right; }
input[type="search"] { font: inherit; padding: 4px 8px; width: 14em; border-radius: 6px;
  border: 1px solid var(--line); background: var(--bg); color: var(--text); }
button { font: inherit; padding: 4px 12px; border-radius: 6px; border: 1px solid var(--line);
  background: var(--bg); color: var(--text); cursor: pointer; }
button:hover { border-color: var(--accent); }
button[aria-pressed="true"] { background: var(--accent); border-color: var(--accent);
  color: #fff; }
main { padding: 12px 16px 40px; }
.empty { color: var(--muted); padding: 0 10px; }
.columns, .event { display: grid; grid-template-columns: 6.5rem 9rem 5rem 1fr; gap: 12px; }
.columns { padding: 0 11px 6px; font-size: 11px; text-transform: uppercase;
  letter-spacing: 0.06em; color: var(--muted); }
.events { list-style: none; margin: 0; padding: 0; }
.event { padding: 8px 10px; background: var(--panel); border: 1px solid var(--line);
  border-radius: 6px; margin-bottom: 6px; align-items: start; }
.event[hidden] { display: none; }
.event-time, .event-id { font-family: var(--mono); font-size: 12px; color: var(--muted);
  padding-top: 2px; overflow-wrap: anywhere; }
.event-id:empty::before { content: "—"; }
.event-name { justify-self: start; font-family: var(--mono); font-size: 12px; padding: 1px 8px;
  border-radius: 4px; color: hsl(var(--hue) 65% 32%); background: hsl(var(--hue) 80% 94%);
  overflow-wrap: anywhere; }
@media (prefers-color-scheme: dark) {
  .event-name { color: hsl(var(--hue) 80% 78%); background: hsl(var(--hue) 40% 22%); }
}
.event-data { margin: 0; font-family: var(--mono); font-size: 12.5px; white-space: pre-wrap;
  overflow-wrap: anywhere; }
.event-data.json { color: var(--text); }
.event-data.empty-data::before { content: "(empty)"; color: var(--muted); }
.marker { margin: 4px 0 10px; padding: 4px 10px; font-size: 12px; color: var(--muted);
  border-top: 1px dashed var(--accent); list-style: none; }
.views { display: inline-flex; }
.views button { border-radius: 0; margin-left: -1px; }
.views button:first-child { border-radius: 6px 0 0 6px; }
.views button:last-child { border-radius: 0 6px 6px 0; }
.views button[aria-selected="true"] { background: var(--accent); border-color: var(--accent);
  color: #fff; }
.lines { list-style: none; margin: 0; padding: 0; font-family: var(--mono); font-size: 12.5px; }
.line { display: grid; grid-template-columns: 6.5rem 1fr; gap: 12px; padding: 2px 10px; }
.line[hidden] { display: none; }
.line-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.line.marker { display: block; }
@media (max-width: 720px) {
  header { gap: 8px; }
  .spacer { display: none; }
  input[type="search"] { flex: 1 1 12em; width: auto; min-width: 0; }
  .count { min-width: 0; }
  .columns { display: none; }
  .event { grid-template-columns: 1fr 1fr 1fr; }
  .event-data { grid-column: 1 / -1; }
}
`;
