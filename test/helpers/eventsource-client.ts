/**
 * The `eventsource` package (a WHATWG EventSource for Node.js) as a test client: collects every
 * event it dispatches and resolves once enough arrived, by content, never by sleeping. Like an
 * app, it can open a new EventSource when the old one gave up (an error status).
 */
import { EventSource } from "eventsource";

export interface EventSourceRun {
  events: Array<{ data: string; lastEventId: string; atMs: number }>;
  /** EventSources opened (1 + the ones opened again after giving up). */
  opened: number;
  /** `error` events seen. */
  errors: number;
  close(): void;
}

/**
 * Opens an EventSource on `url` and resolves once `count` events arrived (rejects after
 * `timeoutMs`). With `reopen`, a source that gave up (readyState CLOSED) is replaced by a new
 * one, as an app does.
 */
export function eventSourceEvents(
  url: string,
  count: number,
  { reopen = false, timeoutMs = 15_000 } = {},
): Promise<EventSourceRun> {
  const run: EventSourceRun = { events: [], opened: 0, errors: 0, close: () => {} };
  return new Promise((resolve, reject) => {
    let source: EventSource;
    const timer = setTimeout(() => {
      run.close();
      reject(new Error(`timed out: ${run.events.length} of ${count} events, ${run.errors} errors`));
    }, timeoutMs);
    const open = () => {
      run.opened++;
      source = new EventSource(url);
      run.close = () => source.close();
      source.onmessage = (event) => {
        run.events.push({
          data: event.data,
          lastEventId: event.lastEventId,
          atMs: performance.now(),
        });
        if (run.events.length >= count) {
          clearTimeout(timer);
          source.close();
          resolve(run);
        }
      };
      source.onerror = () => {
        run.errors++;
        if (reopen && source.readyState === EventSource.CLOSED) setTimeout(open, 20);
      };
    };
    open();
  });
}
