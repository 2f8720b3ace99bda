/**
 * Reads an event-stream body for a while into a StreamTally, for `sse-tool doctor`: when it
 * ended and how (a response end, a cut, a reset), the line endings, the last id, and a progress
 * report every second for a long watch.
 */
import type { HttpResponse } from "../http/client.js";
import { describeNetworkError, errorCode } from "../http/network-error.js";
import { EventStreamDecoder } from "../sse/decoder.js";
import { defaultMaxEventSizeBytes } from "../sse/event-size.js";
import { LineEndingScan } from "./line-ending-scan.js";
import type { StreamEnd } from "./observation.js";
import type { StreamTally } from "./stream-tally.js";

export const maxEventSize = defaultMaxEventSizeBytes;

export interface WatchProgress {
  watchedMs: number;
  events: number;
  /** Since the last byte (or the headers). */
  quietMs: number;
}

const watchProgressEveryMs = 1000;

export interface Watch {
  tally: StreamTally;
  retryMs?: number;
  bodyBytes: number;
  endedAtMs?: number;
  endedHow?: StreamEnd;
  lineEndings: LineEndingScan;
  lastEventId: string;
  error?: string;
  /** How long the body was read, ms since the headers. */
  watchedMs?: number;
}

/**
 * Reads a body for at most `limitMs` (from `headersAtMs`), or until `enough` says so, into
 * `tally`: a summary of bounded size, however long the stream. Times are relative to the
 * response headers.
 */
/** Where the body's events and comments are marked, for doctor's HTML report. */
export interface WatchMarks {
  mark(kind: "event" | "comment", atEpochMs: number, label?: string): void;
}

export async function watchBody(
  response: HttpResponse,
  headersAtMs: number,
  limitMs: number,
  tally: StreamTally,
  enough: () => boolean = () => false,
  signal?: AbortSignal,
  onProgress?: (progress: WatchProgress) => void,
  timeline?: WatchMarks,
): Promise<Watch> {
  const watch: Watch = {
    tally,
    bodyBytes: 0,
    lineEndings: new LineEndingScan(),
    lastEventId: "",
  };
  let nowMs = 0;
  const decoder = new EventStreamDecoder(
    {
      onEvent: (event) => {
        events++;
        tally.event(nowMs, event.lastEventId, Buffer.byteLength(event.data, "utf8"));
        timeline?.mark("event", headersAtMs + nowMs, `${event.type} ${event.lastEventId}`);
      },
      onComment: (text) => {
        tally.comment(nowMs);
        timeline?.mark("comment", headersAtMs + nowMs, text);
      },
      onRetry: (ms) => {
        watch.retryMs = ms;
      },
      onProblem: (problem) => {
        if (problem.type === "event-too-large") tally.oversizedEvent();
      },
    },
    { maxEventSize },
  );
  // Destroying an undici body emits an error; it is expected here.
  response.body.on("error", () => {});
  let stoppedByUs = false;
  const stop = () => {
    stoppedByUs = true;
    response.body.destroy();
  };
  const timer = setTimeout(stop, limitMs);
  let events = 0;
  let lastByteAtMs = 0;
  const ticker =
    onProgress === undefined
      ? undefined
      : setInterval(() => {
          const watchedMs = Date.now() - headersAtMs;
          onProgress({ watchedMs, events, quietMs: watchedMs - lastByteAtMs });
        }, watchProgressEveryMs);
  if (signal?.aborted) stop();
  signal?.addEventListener("abort", stop, { once: true });
  try {
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      nowMs = Date.now() - headersAtMs;
      lastByteAtMs = nowMs;
      tally.chunk(nowMs, chunk.length);
      watch.bodyBytes += chunk.length;
      watch.lineEndings.feed(chunk);
      decoder.feed(chunk);
      if (enough()) {
        // Seen enough; the server did not end the stream.
        stoppedByUs = true;
        break;
      }
    }
    if (!stoppedByUs) {
      watch.endedAtMs = Date.now() - headersAtMs;
      watch.endedHow = "end";
    }
  } catch (error) {
    if (!stoppedByUs) {
      watch.error = describeNetworkError(error, undefined, "doctor");
      watch.endedAtMs = Date.now() - headersAtMs;
      watch.endedHow = errorCode(error) === "ECONNRESET" ? "reset" : "cut";
    }
  } finally {
    clearTimeout(timer);
    clearInterval(ticker);
    signal?.removeEventListener("abort", stop);
    response.body.destroy();
  }
  watch.watchedMs = Math.min(Date.now() - headersAtMs, limitMs);
  watch.lineEndings.end();
  watch.lastEventId = decoder.lastEventId;
  return watch;
}
