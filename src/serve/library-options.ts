/**
 * The library's server, as test code sees it (`import { startServer } from "sse-tool"`): its
 * options (serve's, with times in milliseconds), the events it publishes, and the running
 * server's handle, with the defaults startServer() (library.ts) fills in. Pure.
 */
import type { FaultOptions } from "./faults/fault-options.js";
import type { RequestLog } from "./journal/request-journal.js";

/** Options of `startServer()`: `serve`'s, with times in milliseconds. */
export interface ServerOptions extends FaultOptions {
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: a free one; `url` says which). */
  port?: number;
  /** Path of the stream (default /events). */
  path?: string;
  /** Events kept for clients resuming with Last-Event-ID (default 1000). */
  history?: number;
  /** Number events that carry no id (1, 2, ...), so clients can resume. */
  ids?: boolean;
  /** Send the kept events to every new client. */
  replayHistory?: boolean;
  /** Send `retry: <ms>` to each new client. */
  retry?: number;
  /** Ms between heartbeat comments to idle clients (default 15 000; 0 off). */
  heartbeat?: number;
  /** Drop a client whose unsent backlog stays over this many bytes (default 8 MiB). */
  maxClientBuffer?: number;
  /** Origins (besides loopback ones) whose pages may read and publish; `false`: none. */
  cors?: string[] | false;
  /** Host names answered besides loopback names and IP addresses. */
  allowedHosts?: string[];
  /** Require this bearer token (`Authorization: Bearer` or `?token=`). */
  token?: string;
  /** Serve the viewer page at `/` (default true). */
  ui?: boolean;
  /** Accept events POSTed to the stream path (default true). */
  publish?: boolean;
  /** The type of published events that carry none. */
  event?: string;
  /** Replay this recording (`listen --record`) to each client instead of published events. */
  replay?: string;
  /** With `replay`: how much faster than recorded (default 1), or "max" for no waiting. */
  speed?: number | "max";
  /** With `replay`: play the recording again instead of ending. */
  loop?: boolean;
  /** Requests kept in the journal (`requests`, `waitForRequest`; default 100; 0 none). */
  journal?: number;
  /** Told each line `serve` would log on stderr: connects, disconnects, faults. */
  onLog?: (line: string) => void;
}

/** startServer()'s defaults; `serve`'s come from its command line. */
export const serverDefaults = {
  host: "127.0.0.1",
  port: 0,
  path: "/events",
  history: 1000,
  heartbeat: 15_000,
  maxClientBuffer: 8 * 1024 ** 2,
  ui: true,
  publish: true,
};

/** An event to publish; `data` that is not a string is sent as JSON text. */
export interface ServerEvent {
  event?: string;
  data?: unknown;
  id?: string;
  retry?: number;
  comment?: string;
}

export interface RunningServer extends RequestLog {
  /** The stream URL, e.g. http://127.0.0.1:41234/events */
  readonly url: string;
  /** Stream clients connected now. */
  readonly clientCount: number;
  /**
   * Sends an event to every connected client and keeps it in the history; returns the id it
   * was sent with (assigned with `ids: true`). Throws an SseToolError for an event that cannot
   * be sent as given (an id with a line break), or on a replaying server.
   */
  publish(event: ServerEvent): string | undefined;
  /** Ends every stream after what was sent is flushed, and stops listening. */
  close(): Promise<void>;
}
