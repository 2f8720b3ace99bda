/**
 * Reads one event stream of a session (a POST's response, the GET stream, a resumed one) with
 * the shared decoder, telling each event and its id to the caller until the caller has what it
 * waits for or the stream ends.
 */
import type { Readable } from "node:stream";
import { discardBody } from "../../http/client.js";
import { EventStreamDecoder, type StreamEvent } from "../../sse/decoder.js";

/** Largest event accepted from a server (a tool result can be big). */
const maxEventSize = 16 * 1024 ** 2;

/** What the streams of one request have shown, across resumptions. */
export interface StreamProgress {
  /** The last event id seen ("" when none): sent as Last-Event-ID to resume. */
  lastEventId: string;
  /** The server's `retry:`, when it sent one. */
  retryMs: number | undefined;
  /** An event with an id and empty data came first (2025-11-25's priming event). */
  primed: boolean;
  /** Comment lines seen (keep-alives). */
  comments: number;
  /** Events seen. */
  events: number;
}

export function newStreamProgress(): StreamProgress {
  return { lastEventId: "", retryMs: undefined, primed: false, comments: 0, events: 0 };
}

/**
 * Feeds the body to the decoder; `onEvent` returns true when the caller has what it waited for,
 * which ends the reading (and the request). Resolves "done" then, "ended" when the stream
 * ended or broke first.
 */
export async function readEventStream(
  body: Readable,
  progress: StreamProgress,
  onEvent: (event: StreamEvent) => boolean,
  /** Stop at the first comment (a keep-alive): what `--check` waits for on a quiet stream. */
  stopOnComment = false,
): Promise<"done" | "ended"> {
  let done = false;
  let first = true;
  const decoder = new EventStreamDecoder(
    {
      onEvent: (event) => {
        if (done) return;
        if (first && event.data === "" && event.lastEventId !== "") progress.primed = true;
        first = false;
        progress.events++;
        progress.lastEventId = event.lastEventId;
        done = onEvent(event);
      },
      onRetry: (ms) => {
        progress.retryMs = ms;
      },
      onComment: () => {
        progress.comments++;
        if (stopOnComment) done = true;
      },
    },
    { maxEventSize, lastEventId: progress.lastEventId },
  );
  decoder.startStream();
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      decoder.feed(chunk);
      if (done) break;
    }
    if (!done) decoder.endStream();
  } catch {
    // A stream cut short ends here; the caller resumes it if it can.
  } finally {
    discardBody(body);
  }
  return done ? "done" : "ended";
}
