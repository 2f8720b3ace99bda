/**
 * The script of the viewer page (page.ts), run in the browser. esbuild bundles it at build time
 * with what it imports (the stream reader, the project's decoder and terminal escaper) into one
 * script the page carries inline (scripts/browser-bundle.js), so it is typed, linted and tested
 * like the rest. How it reads the stream: stream-reader.ts.
 *
 * Three views: the events, the raw lines of the stream, and its comments (heartbeats); a
 * search in each; a marker at each reconnection; an export of the events shown as NDJSON (the
 * shape `listen --json` writes and `serve` reads back).
 *
 * Server data only ever reaches the DOM through `textContent`, never `innerHTML`, and through
 * the escaper `listen` uses for a terminal: bidi overrides and control characters are shown as
 * visible escapes (`\u202e`), so a name or id cannot reorder what the reader sees.
 */
import type { StreamEvent } from "../../sse/decoder.js";
import { escapeForTerminal, escapeForTerminalLine } from "../../terminal/escape.js";
import { readStreamForever } from "./stream-reader.js";

/** A received event and when it arrived. */
interface ReceivedEvent extends StreamEvent {
  receivedAt: Date;
}

/** A row to add: an event, or a reconnection marker (queued like events, so kept in order). */
type RowItem = { event: ReceivedEvent } | { marker: string; at: Date };

/** A line of the raw view or a comment, with when it arrived; markers are the page's own. */
interface TextLine {
  receivedAt: Date;
  text: string;
  marker?: boolean;
}

type View = "events" | "raw" | "comments";

/** Only the newest rows stay in the page (the counter still counts them all). */
const maxRowsShown = 2000;
/** The raw view and the comments view keep this many lines each. */
const maxLinesKept = 5000;
/** Rows are added in batches at most this often, not one layout per event. */
const renderIntervalMs = 30;

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`viewer page: no #${id}`);
  return element as T;
}

const stateEl = byId<HTMLElement>("state");
const countEl = byId<HTMLElement>("count");
const filterEl = byId<HTMLInputElement>("filter");
const searchEl = byId<HTMLInputElement>("search");
const pauseEl = byId<HTMLButtonElement>("pause");
const clearEl = byId<HTMLButtonElement>("clear");
const exportEl = byId<HTMLButtonElement>("export");
const listEl = byId<HTMLOListElement>("events");
const rawEl = byId<HTMLOListElement>("raw");
const commentsEl = byId<HTMLOListElement>("comments");
const emptyEl = byId<HTMLElement>("empty");
const namesEl = byId<HTMLDataListElement>("event-names");
const viewSections: Record<View, HTMLElement> = {
  events: byId("events-view"),
  raw: byId("raw-view"),
  comments: byId("comments-view"),
};
const viewTabs = Array.from(document.querySelectorAll<HTMLButtonElement>("[data-view]"));

const streamPath = document.body.dataset.streamPath ?? "/events";
const streamUrl = new URL(streamPath, location.href);
const pageToken = new URLSearchParams(location.search).get("token");
if (pageToken) streamUrl.searchParams.set("token", pageToken);
byId<HTMLElement>("stream-url").textContent = streamPath;

let received = 0;
let paused = false;
let view: View = "events";
/** Rows that arrived while paused (the newest of them), and how many events arrived. */
let held: RowItem[] = [];
let heldCount = 0;
/** Rows waiting for the next batch. */
let toRender: RowItem[] = [];
let renderScheduled = false;
const seenNames = new Set<string>();
/** The event each row shows, for the search and the export. */
const rowEvents = new WeakMap<Element, ReceivedEvent>();
const rawLines: TextLine[] = [];
const comments: TextLine[] = [];

function setState(state: string, detail?: string): void {
  stateEl.dataset.state = state;
  stateEl.textContent = detail ? `${state}: ${detail}` : state;
}

function searchText(): string {
  return searchEl.value.trim().toLowerCase();
}

function matchesFilter(name: string): boolean {
  const wanted = filterEl.value.trim().toLowerCase();
  return wanted === "" || name.toLowerCase().includes(wanted);
}

/** Name filter and search (in the name, id and data) together. */
function eventShown(event: ReceivedEvent): boolean {
  if (!matchesFilter(event.type)) return false;
  const wanted = searchText();
  if (wanted === "") return true;
  return [event.data, event.lastEventId, event.type].some((text) =>
    text.toLowerCase().includes(wanted),
  );
}

function eventRows(): HTMLElement[] {
  return Array.from(listEl.querySelectorAll<HTMLElement>(".event"));
}

function updateCount(): void {
  const rows = eventRows();
  const shown = rows.filter((row) => !row.hidden).length;
  let text = `${received} ${received === 1 ? "event" : "events"}`;
  if (shown !== rows.length) text += ` (${shown} shown)`;
  if (heldCount > 0) text += ` · ${heldCount} new`;
  countEl.textContent = text;
  emptyEl.hidden = rows.length > 0;
}

/** A hue per event name, the same on every load. */
function hueOf(name: string): number {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
  return hash % 360;
}

/** JSON objects and arrays laid out with indentation; anything else as it came. */
function prettyData(data: string): string | undefined {
  const start = data.trimStart()[0];
  if (start !== "{" && start !== "[") return undefined;
  try {
    return JSON.stringify(JSON.parse(data), null, 2);
  } catch {
    return undefined;
  }
}

function cell(tag: string, className: string, text: string): HTMLElement {
  const element = document.createElement(tag);
  element.className = className;
  element.textContent = text;
  return element;
}

function clockTime(at: Date): string {
  return `${at.toTimeString().slice(0, 8)}.${String(at.getMilliseconds()).padStart(3, "0")}`;
}

function buildRow(item: RowItem): HTMLLIElement {
  if ("marker" in item) {
    const marker = document.createElement("li");
    marker.className = "marker";
    marker.textContent = `${clockTime(item.at)} · ${escapeForTerminalLine(item.marker)}`;
    return marker;
  }
  const { event } = item;
  const row = document.createElement("li");
  row.className = "event";
  row.dataset.event = event.type;
  row.append(cell("span", "event-time", clockTime(event.receivedAt)));
  const name = cell("span", "event-name", escapeForTerminalLine(event.type));
  name.style.setProperty("--hue", String(hueOf(event.type)));
  row.append(name);
  const id = cell("span", "event-id", escapeForTerminalLine(event.lastEventId));
  id.title = "last event ID";
  row.append(id);
  const pretty = prettyData(event.data);
  const data = cell("pre", "event-data", escapeForTerminal(pretty ?? event.data));
  if (pretty !== undefined) data.classList.add("json");
  if (event.data === "") data.classList.add("empty-data");
  row.append(data);
  row.hidden = !eventShown(event);
  rowEvents.set(row, event);
  if (!seenNames.has(event.type)) {
    seenNames.add(event.type);
    const option = document.createElement("option");
    option.value = event.type;
    namesEl.append(option);
  }
  return row;
}

function lineItem(line: TextLine): HTMLLIElement {
  const item = document.createElement("li");
  item.className = line.marker ? "line marker" : "line";
  item.append(cell("span", "event-time", clockTime(line.receivedAt)));
  item.append(cell("span", "line-text", escapeForTerminalLine(line.text)));
  const wanted = searchText();
  item.hidden = !line.marker && wanted !== "" && !line.text.toLowerCase().includes(wanted);
  return item;
}

/** The raw or comments list, rebuilt newest first (on a view switch or a new search). */
function renderLines(target: HTMLOListElement, lines: TextLine[]): void {
  const fragment = document.createDocumentFragment();
  for (let i = lines.length - 1; i >= 0; i--) fragment.append(lineItem(lines[i]!));
  target.replaceChildren(fragment);
}

function render(): void {
  renderScheduled = false;
  if (toRender.length > 0) {
    const fragment = document.createDocumentFragment();
    for (const item of toRender) fragment.prepend(buildRow(item));
    toRender = [];
    listEl.prepend(fragment);
    while (listEl.children.length > maxRowsShown) listEl.lastElementChild?.remove();
  }
  if (view === "raw") renderLines(rawEl, rawLines);
  if (view === "comments") renderLines(commentsEl, comments);
  updateCount();
}

function scheduleRender(): void {
  if (!renderScheduled) {
    renderScheduled = true;
    setTimeout(render, renderIntervalMs);
  }
}

function keepNewest<T>(items: T[], limit: number): void {
  if (items.length > limit) items.splice(0, items.length - limit);
}

function show(item: RowItem): void {
  if ("event" in item) {
    received++;
    if (paused) heldCount++;
  }
  const queue = paused ? held : toRender;
  queue.push(item);
  keepNewest(queue, maxRowsShown);
  scheduleRender();
}

function addLine(lines: TextLine[], line: TextLine): void {
  lines.push(line);
  keepNewest(lines, maxLinesKept);
  if (!paused) scheduleRender();
}

/** A reconnection, marked where it happened in the events and in the raw lines. */
function markReconnect(lastEventId: string): void {
  const at = new Date();
  const text =
    lastEventId === ""
      ? "reconnected (no Last-Event-ID: events sent meanwhile are missed)"
      : `reconnected with Last-Event-ID ${lastEventId}`;
  show({ marker: text, at });
  addLine(rawLines, { receivedAt: at, text, marker: true });
}

function refilter(): void {
  for (const row of eventRows()) {
    const event = rowEvents.get(row);
    row.hidden = event === undefined || !eventShown(event);
  }
  render();
}

function showView(next: View): void {
  view = next;
  for (const [name, section] of Object.entries(viewSections)) section.hidden = name !== next;
  for (const tab of viewTabs) tab.setAttribute("aria-selected", String(tab.dataset.view === next));
  render();
}

/** The events shown, oldest first, one `listen --json` object per line. */
function exportText(): string {
  const lines: string[] = [];
  for (const row of eventRows().reverse()) {
    const event = rowEvents.get(row);
    if (event === undefined || row.hidden) continue;
    lines.push(
      JSON.stringify({
        time: event.receivedAt.toISOString(),
        event: event.type,
        id: event.lastEventId,
        data: event.data,
      }),
    );
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

filterEl.addEventListener("input", refilter);
searchEl.addEventListener("input", refilter);
for (const tab of viewTabs) {
  tab.addEventListener("click", () => showView((tab.dataset.view ?? "events") as View));
}
pauseEl.addEventListener("click", () => {
  paused = !paused;
  pauseEl.setAttribute("aria-pressed", String(paused));
  pauseEl.textContent = paused ? "Resume" : "Pause";
  if (!paused) {
    toRender = toRender.concat(held);
    held = [];
    heldCount = 0;
  }
  render();
});
clearEl.addEventListener("click", () => {
  listEl.replaceChildren();
  held = [];
  heldCount = 0;
  toRender = [];
  received = 0;
  rawLines.length = 0;
  comments.length = 0;
  render();
});
exportEl.addEventListener("click", () => {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([exportText()], { type: "application/x-ndjson" }));
  link.download = `sse-tool-events-${new Date().toISOString().replaceAll(":", "-")}.ndjson`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
});

updateCount();
readStreamForever(streamUrl, {
  onEvent: (event) => show({ event: { ...event, receivedAt: new Date() } }),
  onComment: (text) => addLine(comments, { receivedAt: new Date(), text }),
  onRawLine: (text, receivedAt) => addLine(rawLines, { receivedAt, text }),
  onReconnect: markReconnect,
  onState: setState,
});
