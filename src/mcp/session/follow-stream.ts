/**
 * Following one stream of a session to its end: a request's stream until its response (resumed
 * with GET and Last-Event-ID after the server's `retry:` when it closes first, as 2025-11-25
 * servers may after a priming event), or the server's own stream, reconnected until the
 * signal aborts.
 */
import { setTimeout as delay } from "node:timers/promises";
import { SseToolError } from "../../errors.js";
import type { HttpResponse } from "../../http/client.js";
import type { JsonRpcId } from "../../mcp-protocol/jsonrpc.js";
import type { StreamEvent } from "../../sse/decoder.js";
import { type ExchangeContext, expectEventStream, sendHttp } from "./http-exchange.js";
import { readEventStream, type StreamProgress } from "./stream-reader.js";

/** Resumptions in a row without what was waited for before giving up. */
const maxResumes = 5;
/** The wait before resuming when the server sent no `retry:`. */
const defaultRetryMs = 1000;
/** The longest `retry:` obeyed. */
const maxRetryMs = 60_000;

/** What the session lends the follower. */
export interface StreamHost {
  context: ExchangeContext;
  url: string;
  headers(): Record<string, string>;
  withSession: boolean;
  /** One event; true once what is waited for has come. */
  onEvent(event: StreamEvent, label: string): boolean;
  /** Whether the response waited for has come (by any stream). */
  answered(): boolean;
}

export interface FollowedStream {
  response: HttpResponse;
  /** The request whose response is waited for; undefined to watch the server's stream. */
  waitId: JsonRpcId | undefined;
  label: string;
  progress: StreamProgress;
}

export async function followStream(host: StreamHost, stream: FollowedStream): Promise<void> {
  const { waitId, label, progress } = stream;
  const watching = waitId === undefined;
  const signal = host.context.signal;
  let body = stream.response.body;
  let streamLabel = label;
  for (let resumes = 0; ; resumes++) {
    const eventsBefore = progress.events;
    const outcome = await readEventStream(body, progress, (event) =>
      host.onEvent(event, streamLabel),
    );
    if (outcome === "done" || (!watching && host.answered())) return;
    if (signal.aborted) {
      if (watching) return;
      throw new SseToolError("interrupted", "interrupted");
    }
    // A watched stream that delivered something is a new start, not a failed attempt.
    if (watching && progress.events > eventsBefore) resumes = 0;
    if (!watching && progress.lastEventId === "") {
      throw new SseToolError(
        "protocol",
        `${label}: the stream closed before the response, with no event id to resume from`,
      );
    }
    if (resumes === maxResumes) {
      throw new SseToolError(
        "protocol",
        watching
          ? `${label}: the stream closed ${maxResumes} times in a row with nothing in it`
          : `${label}: no response after ${maxResumes} resumptions`,
      );
    }
    const waitMs = Math.min(progress.retryMs ?? defaultRetryMs, maxRetryMs);
    const from = progress.lastEventId === "" ? "" : ` with Last-Event-ID: ${progress.lastEventId}`;
    const what = watching
      ? "the server closed its stream"
      : "the stream closed before the response";
    host.context.observer.note?.(`${label}: ${what}; resuming in ${waitMs} ms${from}`);
    await delay(waitMs, undefined, { signal }).catch(() => {
      throw new SseToolError("interrupted", "interrupted");
    });
    const resumed = await sendHttp(host.context, "GET", host.url, {
      ...host.headers(),
      accept: "text/event-stream",
      ...(progress.lastEventId === "" ? {} : { "last-event-id": progress.lastEventId }),
    });
    await expectEventStream(resumed, "GET (resume)", host.withSession);
    body = resumed.body;
    streamLabel = watching ? "GET (resumed)" : `GET (resumed #${waitId})`;
  }
}
