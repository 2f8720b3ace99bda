/**
 * How the viewer page reads its stream: with `fetch`, decoded by the project's own decoder
 * (src/sse/decoder.ts), exactly as `listen` reads one. Not `EventSource`: it delivers only
 * events whose name a listener was registered for in advance, and cannot tell a 401 apart.
 * It reconnects as a browser does, sending `Last-Event-ID` and honouring `retry:`; the first
 * request asks for the kept history (`Last-Event-ID: earliest`), so a reloaded page is not
 * empty after the input ended.
 */
import { EventStreamDecoder, type StreamEvent } from "../../sse/decoder.js";

/** The reconnection time until the server sends `retry:` (as browsers use). */
const defaultReconnectMs = 3000;

export interface StreamReaderHandlers {
  onEvent(event: StreamEvent): void;
  onComment(text: string): void;
  /** A line of the body as it came (split at CR, LF or CRLF), for the raw view. */
  onRawLine(text: string, receivedAt: Date): void;
  /** Connected again; `lastEventId` is the id it resumed from ("" for none). */
  onReconnect(lastEventId: string): void;
  /** connecting, open, reconnecting, closed or failed, with why when there is a reason. */
  onState(state: string, detail?: string): void;
}

/** Reads `streamUrl`, and reconnects whenever the stream ends, until the server says to stop. */
export function readStreamForever(streamUrl: URL, handlers: StreamReaderHandlers): void {
  const { onReconnect: markReconnect, onState: setState } = handlers;
  // One decoder for the page's life: its last event ID carries over to each reconnection.
  let reconnectMs = defaultReconnectMs;
  let everOpened = false;
  const decoder = new EventStreamDecoder({
    onEvent: handlers.onEvent,
    onRetry: (ms) => {
      reconnectMs = ms;
    },
    onComment: handlers.onComment,
  });

  /** Splits the body's text into the raw view's lines (CR, LF or CRLF, as the stream does). */
  const rawText = new TextDecoder();
  let rawPending = "";
  let rawEndedInCr = false;
  function feedRaw(bytes: Uint8Array | undefined): void {
    let text = bytes === undefined ? rawText.decode() : rawText.decode(bytes, { stream: true });
    if (rawEndedInCr && text.startsWith("\n")) text = text.slice(1);
    rawEndedInCr = text.endsWith("\r");
    const parts = (rawPending + text).split(/\r\n|\r|\n/);
    rawPending = bytes === undefined ? "" : (parts.pop() ?? "");
    const receivedAt = new Date();
    for (const part of parts) handlers.onRawLine(part, receivedAt);
  }

  /** Reads one response; resolves to why it ended: undefined to reconnect, else final words. */
  async function readStream(): Promise<{ state: string; detail: string } | undefined> {
    const headers: Record<string, string> = { Accept: "text/event-stream" };
    const resumeFrom = decoder.lastEventId;
    if (resumeFrom !== "") headers["Last-Event-ID"] = resumeFrom;
    // The first connection asks for every kept event: the page shows what happened before it.
    else if (!everOpened) headers["Last-Event-ID"] = "earliest";
    const response = await fetch(streamUrl, { headers, cache: "no-store" });
    const type = (response.headers.get("content-type") ?? "").split(";")[0]?.trim() ?? "";
    if (response.status === 204) return { state: "closed", detail: "server sent 204" };
    if (response.status === 401) {
      return { state: "failed", detail: "unauthorized: open this page with ?token=<token>" };
    }
    if (response.status !== 200 || type.toLowerCase() !== "text/event-stream") {
      return { state: "failed", detail: `HTTP ${response.status} ${type}` };
    }
    if (everOpened) markReconnect(resumeFrom);
    everOpened = true;
    setState("open");
    decoder.startStream();
    const reader = response.body?.getReader();
    for (;;) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      feedRaw(chunk.value);
      decoder.feed(chunk.value);
    }
    feedRaw(undefined);
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

  connect();
}
