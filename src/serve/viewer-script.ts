/**
 * The script of the viewer page (src/serve/viewer-page.ts), run in the browser. esbuild bundles
 * it at build time, with the project's own event-stream decoder (src/sse/decoder.ts), into one
 * script the page carries inline (scripts/browser-bundle.js): the page reads a stream exactly
 * as `listen` does, and this file is typed, linted and tested like the rest.
 *
 * It reads the stream with `fetch` rather than `EventSource`: an `EventSource` only delivers
 * named events to listeners registered for that exact name in advance, so a viewer built on it
 * could not show an `event: anything` it was not told about (nor say that a 401 wants a token).
 * It reconnects as a browser does, sending `Last-Event-ID` and honouring `retry:`.
 *
 * Server data only ever reaches the DOM through `textContent`, never `innerHTML`.
 */
import { EventStreamDecoder, type StreamEvent } from "../sse/decoder.js";

/** A received event and when it arrived. */
interface ReceivedEvent extends StreamEvent {
  receivedAt: Date;
}

/** Only the newest rows stay in the page (the counter still counts them all). */
const maxRowsShown = 2000;
/** Rows are added in batches at most this often, not one layout per event. */
const renderIntervalMs = 30;
/** The reconnection time until the server sends `retry:` (as browsers use). */
const defaultReconnectMs = 3000;

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`viewer page: no #${id}`);
  return element as T;
}

const stateEl = byId<HTMLElement>("state");
const countEl = byId<HTMLElement>("count");
const filterEl = byId<HTMLInputElement>("filter");
const pauseEl = byId<HTMLButtonElement>("pause");
const clearEl = byId<HTMLButtonElement>("clear");
const listEl = byId<HTMLOListElement>("events");
const emptyEl = byId<HTMLElement>("empty");
const namesEl = byId<HTMLDataListElement>("event-names");

const streamPath = document.body.dataset.streamPath ?? "/events";
const streamUrl = new URL(streamPath, location.href);
const pageToken = new URLSearchParams(location.search).get("token");
if (pageToken) streamUrl.searchParams.set("token", pageToken);
byId<HTMLElement>("stream-url").textContent = streamPath;

let received = 0;
let paused = false;
/** Events that arrived while paused (the newest of them), and how many arrived. */
let held: ReceivedEvent[] = [];
let heldCount = 0;
/** Events waiting for the next batch of rows. */
let toRender: ReceivedEvent[] = [];
let renderScheduled = false;
const seenNames = new Set<string>();

function setState(state: string, detail?: string): void {
  stateEl.dataset.state = state;
  stateEl.textContent = detail ? `${state}: ${detail}` : state;
}

function matchesFilter(name: string): boolean {
  const wanted = filterEl.value.trim().toLowerCase();
  return wanted === "" || name.toLowerCase().includes(wanted);
}

function updateCount(): void {
  const shown = listEl.querySelectorAll(".event:not([hidden])").length;
  let text = `${received} ${received === 1 ? "event" : "events"}`;
  if (shown !== listEl.children.length) text += ` (${shown} shown)`;
  if (heldCount > 0) text += ` · ${heldCount} new`;
  countEl.textContent = text;
  emptyEl.hidden = listEl.children.length > 0;
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

function buildRow(event: ReceivedEvent): HTMLLIElement {
  const row = document.createElement("li");
  row.className = "event";
  row.dataset.event = event.type;
  const time = `${event.receivedAt.toTimeString().slice(0, 8)}.${String(event.receivedAt.getMilliseconds()).padStart(3, "0")}`;
  row.append(cell("span", "event-time", time));
  const name = cell("span", "event-name", event.type);
  name.style.setProperty("--hue", String(hueOf(event.type)));
  row.append(name);
  const id = cell("span", "event-id", event.lastEventId);
  id.title = "last event ID";
  row.append(id);
  const pretty = prettyData(event.data);
  const data = cell("pre", "event-data", pretty ?? event.data);
  if (pretty !== undefined) data.classList.add("json");
  if (event.data === "") data.classList.add("empty-data");
  row.append(data);
  row.hidden = !matchesFilter(event.type);
  if (!seenNames.has(event.type)) {
    seenNames.add(event.type);
    const option = document.createElement("option");
    option.value = event.type;
    namesEl.append(option);
  }
  return row;
}

function render(): void {
  renderScheduled = false;
  if (toRender.length > 0) {
    const fragment = document.createDocumentFragment();
    for (const event of toRender) fragment.prepend(buildRow(event));
    toRender = [];
    listEl.prepend(fragment);
    while (listEl.children.length > maxRowsShown) listEl.lastElementChild?.remove();
  }
  updateCount();
}

function keepNewest(events: ReceivedEvent[]): void {
  if (events.length > maxRowsShown) events.splice(0, events.length - maxRowsShown);
}

function show(event: ReceivedEvent): void {
  received++;
  if (paused) heldCount++;
  const queue = paused ? held : toRender;
  queue.push(event);
  keepNewest(queue);
  if (!renderScheduled) {
    renderScheduled = true;
    setTimeout(render, renderIntervalMs);
  }
}

filterEl.addEventListener("input", () => {
  listEl.querySelectorAll<HTMLElement>(".event").forEach((row) => {
    row.hidden = !matchesFilter(row.dataset.event ?? "");
  });
  updateCount();
});
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
  updateCount();
});

// One decoder for the page's life: its last event ID carries over to each reconnection.
let reconnectMs = defaultReconnectMs;
let everOpened = false;
const decoder = new EventStreamDecoder({
  onEvent: (event) => show({ ...event, receivedAt: new Date() }),
  onRetry: (ms) => {
    reconnectMs = ms;
  },
});

/** Reads one response; resolves to why it ended: undefined to reconnect, else final words. */
async function readStream(): Promise<{ state: string; detail: string } | undefined> {
  const headers: Record<string, string> = { Accept: "text/event-stream" };
  if (decoder.lastEventId !== "") headers["Last-Event-ID"] = decoder.lastEventId;
  const response = await fetch(streamUrl, { headers, cache: "no-store" });
  const type = (response.headers.get("content-type") ?? "").split(";")[0]?.trim() ?? "";
  if (response.status === 204) return { state: "closed", detail: "server sent 204" };
  if (response.status === 401) {
    return { state: "failed", detail: "unauthorized: open this page with ?token=<token>" };
  }
  if (response.status !== 200 || type.toLowerCase() !== "text/event-stream") {
    return { state: "failed", detail: `HTTP ${response.status} ${type}` };
  }
  everOpened = true;
  setState("open");
  decoder.startStream();
  const reader = response.body?.getReader();
  for (;;) {
    const chunk = await reader?.read();
    if (!chunk || chunk.done) break;
    decoder.feed(chunk.value);
  }
  // §9.2.6: an unfinished block at the end of a body is discarded.
  decoder.endStream();
  return undefined;
}

function connect(): void {
  setState(everOpened ? "reconnecting" : "connecting");
  readStream()
    .catch(() => undefined)
    .then((end) => {
      if (end) return setState(end.state, end.detail);
      setState("reconnecting");
      setTimeout(connect, reconnectMs);
    });
}

updateCount();
connect();
