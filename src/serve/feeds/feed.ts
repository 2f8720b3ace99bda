/**
 * Where the bytes of `serve`'s streams come from: the hub (hub-feed.ts: the input and
 * publishing, one stream for all) or a replay (replay.ts: a recording, from the start for each
 * client). The stream route (http/stream-route.ts) asks the feed what head a new stream gets,
 * then hands it the client, through the faults when there are any (faults/). Pure.
 */
import type { StreamSink } from "./stream-sink.js";

/** A response head a feed chooses (a replay's recorded one). */
export interface StreamHead {
  status: number;
  statusText: string;
  /** Its headers; the server adds its CORS headers. */
  headers: Array<[name: string, value: string | string[]]>;
  /** Held this long before it is written (the recorded wait for the original's head). */
  delayMs: number;
}

/** What a feed decided for a new stream request. */
export interface FeedOpening {
  /** The head to write; undefined: 200 with the usual event-stream headers. */
  head?: StreamHead;
}

/** What a request chose for its own stream (a per-request fault spec's `speed=`). */
export interface StreamChoices {
  /** A replay's speed for this stream instead of the server's. */
  speed?: number | "max";
}

export interface StreamFeed {
  /** What a new stream request with this Last-Event-ID (or none) gets. */
  open(lastEventId: string | undefined, choices?: StreamChoices): FeedOpening;
  /**
   * The head is written: start sending to `client`. Returns what the connect line adds about
   * what the client is sent (`(Last-Event-ID "41": 3 missed events sent)`).
   */
  start(client: StreamSink, opening: FeedOpening, lastEventId: string | undefined): string;
  /** The client is gone. */
  remove(client: StreamSink): void;
  /** A write to `client` reached its socket: it can take more. */
  drained(client: StreamSink): void;
  /** The heartbeat timer ticked. */
  heartbeat(): void;
}

/** A string a client chose, in a log line: quoted, and cut short when long. */
export function quotedForLog(text: string): string {
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}…` : text);
}
