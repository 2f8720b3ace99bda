/**
 * The viewer page `serve` returns at `GET /`: one self-contained HTML document (inline CSS and
 * script, no external assets, so it works offline and under any CSP-free local setup) that
 * shows the stream live.
 *
 * Why the page reads the stream with `fetch` rather than `EventSource`: an `EventSource` only
 * delivers named events to listeners registered for that exact name in advance, so a viewer
 * built on it cannot show an `event: anything` it was not told about. The page instead parses
 * the event stream itself, following the same HTML §9.2.6 rules (line endings split across
 * chunks, one leading space, `id` with NUL ignored, digits-only `retry`, unfinished last block
 * discarded), and reconnects as a browser does, sending `Last-Event-ID` and honouring `retry:`.
 *
 * Server data only ever reaches the DOM through `textContent`, never `innerHTML`.
 */

export interface ViewerPageOptions {
  /** The stream path the page connects to, e.g. "/events". */
  streamPath: string;
}

/** The whole page. The page passes on a `?token=` it was opened with to the stream request. */
export function renderViewerPage(options: ViewerPageOptions): string {
  // JSON is valid JavaScript; escaping `<` keeps a path like "</script>" inside the script.
  const config = JSON.stringify({ streamPath: options.streamPath }).replace(/</g, "\\u003c");
  const title = escapeHtml(`sse-tool · ${options.streamPath}`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${viewerStyle}</style>
</head>
<body>
<header>
  <div class="brand">sse-tool <span class="muted">viewer</span></div>
  <code id="stream-url" class="stream-url"></code>
  <span id="state" class="state" data-state="connecting">connecting</span>
  <span class="spacer"></span>
  <input id="filter" type="search" placeholder="Filter by name" list="event-names"
    autocomplete="off" aria-label="Filter by event name">
  <datalist id="event-names"></datalist>
  <span id="count" class="count" aria-live="polite">0 events</span>
  <button id="pause" type="button">Pause</button>
  <button id="clear" type="button">Clear</button>
</header>
<main>
  <div class="columns" aria-hidden="true">
    <span>Received</span><span>Event</span><span>Last ID</span><span>Data</span>
  </div>
  <p id="empty" class="empty">Waiting for events…</p>
  <ol id="events" class="events" reversed></ol>
</main>
<script>
const config = ${config};
${viewerScript}
</script>
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

// Plain JavaScript run in the browser. No template literals in here (this is a template).
const viewerScript = String.raw`
"use strict";
(() => {
  const maxRowsShown = 2000;
  const stateEl = document.getElementById("state");
  const countEl = document.getElementById("count");
  const filterEl = document.getElementById("filter");
  const pauseEl = document.getElementById("pause");
  const clearEl = document.getElementById("clear");
  const listEl = document.getElementById("events");
  const emptyEl = document.getElementById("empty");
  const namesEl = document.getElementById("event-names");

  const streamUrl = new URL(config.streamPath, location.href);
  const pageToken = new URLSearchParams(location.search).get("token");
  if (pageToken) streamUrl.searchParams.set("token", pageToken);
  document.getElementById("stream-url").textContent = config.streamPath;

  let received = 0;
  let paused = false;
  let pending = [];
  const seenNames = new Set();

  function setState(state, detail) {
    stateEl.dataset.state = state;
    stateEl.textContent = detail ? state + ": " + detail : state;
  }

  function matchesFilter(name) {
    const wanted = filterEl.value.trim().toLowerCase();
    return wanted === "" || name.toLowerCase().includes(wanted);
  }

  function updateCount() {
    const shown = listEl.querySelectorAll(".event:not([hidden])").length;
    let text = received + (received === 1 ? " event" : " events");
    if (shown !== listEl.children.length) text += " (" + shown + " shown)";
    if (pendingCount > 0) text += " · " + pendingCount + " new";
    countEl.textContent = text;
    emptyEl.hidden = listEl.children.length > 0;
  }

  function hueOf(name) {
    let hash = 0;
    for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
    return hash % 360;
  }

  function prettyData(data) {
    const start = data.trimStart()[0];
    if (start !== "{" && start !== "[") return null;
    try {
      return JSON.stringify(JSON.parse(data), null, 2);
    } catch {
      return null;
    }
  }

  function cell(tag, className, text) {
    const el = document.createElement(tag);
    el.className = className;
    el.textContent = text;
    return el;
  }

  function buildRow(ev) {
    const row = document.createElement("li");
    row.className = "event";
    row.dataset.event = ev.type;
    const time = ev.receivedAt.toTimeString().slice(0, 8) + "." +
      String(ev.receivedAt.getMilliseconds()).padStart(3, "0");
    row.append(cell("span", "event-time", time));
    const name = cell("span", "event-name", ev.type);
    name.style.setProperty("--hue", String(hueOf(ev.type)));
    row.append(name);
    const id = cell("span", "event-id", ev.id);
    id.title = "last event ID";
    row.append(id);
    const pretty = prettyData(ev.data);
    const data = cell("pre", "event-data", pretty === null ? ev.data : pretty);
    if (pretty !== null) data.classList.add("json");
    if (ev.data === "") data.classList.add("empty-data");
    row.append(data);
    row.hidden = !matchesFilter(ev.type);
    if (!seenNames.has(ev.type)) {
      seenNames.add(ev.type);
      const option = document.createElement("option");
      option.value = ev.type;
      namesEl.append(option);
    }
    return row;
  }

  // A fast stream would make the page re-layout per event; events are queued and rendered in
  // batches, and only the newest maxRowsShown are kept (the counter still counts them all).
  let toRender = [];
  let pendingCount = 0;
  let flushTimer = 0;

  function flush() {
    flushTimer = 0;
    if (toRender.length > 0) {
      const fragment = document.createDocumentFragment();
      for (const ev of toRender) fragment.prepend(buildRow(ev));
      toRender = [];
      listEl.prepend(fragment);
      while (listEl.children.length > maxRowsShown) listEl.lastElementChild.remove();
    }
    updateCount();
  }

  function scheduleFlush() {
    if (flushTimer === 0) flushTimer = setTimeout(flush, 30);
  }

  function keepNewest(list) {
    if (list.length > maxRowsShown) list.splice(0, list.length - maxRowsShown);
  }

  function showEvent(ev) {
    received++;
    if (paused) {
      pending.push(ev);
      pendingCount++;
      keepNewest(pending);
    } else {
      toRender.push(ev);
      keepNewest(toRender);
    }
    scheduleFlush();
  }

  filterEl.addEventListener("input", () => {
    for (const row of listEl.children) row.hidden = !matchesFilter(row.dataset.event);
    updateCount();
  });
  pauseEl.addEventListener("click", () => {
    paused = !paused;
    pauseEl.setAttribute("aria-pressed", String(paused));
    pauseEl.textContent = paused ? "Resume" : "Pause";
    if (!paused) {
      toRender = toRender.concat(pending);
      pending = [];
      pendingCount = 0;
    }
    flush();
  });
  clearEl.addEventListener("click", () => {
    listEl.replaceChildren();
    pending = [];
    pendingCount = 0;
    toRender = [];
    received = 0;
    updateCount();
  });

  // The event-stream interpretation of HTML §9.2.6, as a browser's EventSource applies it.
  let reconnectDelayMs = 3000;
  let lastEventId = "";
  let everOpened = false;

  function connect() {
    setState(everOpened ? "reconnecting" : "connecting");
    let dataBuffer = "";
    let typeBuffer = "";
    let idBuffer = lastEventId;
    let partialLine = "";
    let afterCR = false;

    function processLine(line) {
      if (line === "") {
        lastEventId = idBuffer;
        if (dataBuffer !== "") {
          showEvent({ type: typeBuffer || "message", data: dataBuffer.slice(0, -1),
            id: lastEventId, receivedAt: new Date() });
        }
        dataBuffer = "";
        typeBuffer = "";
        return;
      }
      if (line[0] === ":") return;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? "" : line.slice(colon + 1);
      if (value[0] === " ") value = value.slice(1);
      if (field === "data") dataBuffer += value + "\n";
      else if (field === "event") typeBuffer = value;
      else if (field === "id") { if (!value.includes("\0")) idBuffer = value; }
      else if (field === "retry") { if (/^[0-9]+$/.test(value)) reconnectDelayMs = Number(value); }
    }

    function feed(text) {
      let i = 0;
      if (afterCR && text.charCodeAt(0) === 10) i = 1;
      afterCR = false;
      let lineStart = i;
      for (; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code !== 10 && code !== 13) continue;
        processLine(partialLine + text.slice(lineStart, i));
        partialLine = "";
        if (code === 13) {
          if (i + 1 === text.length) afterCR = true;
          else if (text.charCodeAt(i + 1) === 10) i++;
        }
        lineStart = i + 1;
      }
      partialLine += text.slice(lineStart);
    }

    const headers = { Accept: "text/event-stream" };
    if (lastEventId !== "") headers["Last-Event-ID"] = lastEventId;
    fetch(streamUrl, { headers, cache: "no-store" }).then(async (response) => {
      const type = (response.headers.get("content-type") || "").split(";")[0].trim();
      if (response.status === 204) return "closed";
      if (response.status === 401) return "unauthorized: open this page with ?token=<token>";
      if (response.status !== 200 || type.toLowerCase() !== "text/event-stream") {
        return "HTTP " + response.status + " " + (type || "");
      }
      everOpened = true;
      setState("open");
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return undefined;
        feed(value);
      }
    }).catch(() => undefined).then((failure) => {
      if (failure === "closed") return setState("closed", "server sent 204");
      if (failure) return setState("failed", failure);
      setState("reconnecting");
      setTimeout(connect, reconnectDelayMs);
    });
  }

  updateCount();
  connect();
})();
`;
