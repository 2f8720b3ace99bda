/**
 * What a run of `listen` tells an observer besides its output: each request sent, each
 * response head, the body bytes as they arrive, each event, and how each connection ended.
 * `--record` (record.ts) writes them to a file; the library's `listen()` (library.ts) hands the
 * events to the caller's loop. A tap only watches: it never changes what the run does, and it
 * must not throw.
 */

import type { DisconnectReason } from "../recording/format.js";
import type { StreamEvent } from "../sse/decoder.js";

export interface TappedRequest {
  method: string;
  url: string;
  /** As sent, credentials included: a tap that keeps them redacts them. */
  headers: Record<string, string>;
}

export interface TappedResponse {
  /** The URL that answered, after redirects. */
  url: string;
  status: number;
  statusText: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface ListenTap {
  /** A request is about to be sent: the first one and each reconnection. */
  request?(request: TappedRequest): void;
  /** The final response head of a request (after redirects), whatever its status. */
  response?(response: TappedResponse): void;
  /** Body bytes as read (after HTTP content decoding), before they are decoded. */
  chunk?(bytes: Buffer): void;
  /** An event the run shows (after `-e`). */
  event?(event: StreamEvent): void;
  /** The connection of the last request is over; `detail` says why it broke. */
  disconnect?(reason: DisconnectReason, detail?: string): void;
}

/** Both taps, each told everything, `first` first. */
export function joinTaps(
  first: ListenTap | undefined,
  second: ListenTap | undefined,
): ListenTap | undefined {
  if (first === undefined) return second;
  if (second === undefined) return first;
  return {
    request: (request) => {
      first.request?.(request);
      second.request?.(request);
    },
    response: (response) => {
      first.response?.(response);
      second.response?.(response);
    },
    chunk: (bytes) => {
      first.chunk?.(bytes);
      second.chunk?.(bytes);
    },
    event: (event) => {
      first.event?.(event);
      second.event?.(event);
    },
    disconnect: (reason, detail) => {
      first.disconnect?.(reason, detail);
      second.disconnect?.(reason, detail);
    },
  };
}

/** How the connection just read ended, told to the tap (--record). */
export function tellDisconnect(
  tap: ListenTap | undefined,
  end: { kind: "ended" | "stopped" } | { kind: "dropped"; reason: string },
  stopReason: string | undefined,
): void {
  if (tap?.disconnect === undefined) return;
  if (end.kind === "dropped") tap.disconnect("dropped", end.reason);
  // 204 No Content is the server ending the stream for good.
  else if (end.kind === "ended" || stopReason === "server-stop") tap.disconnect("ended");
  else tap.disconnect("stopped");
}
