/**
 * The usual feed of `serve`'s streams: the hub (hub.ts), one ordered stream for every client,
 * with its history for Last-Event-ID, `--replay-history`, the `retry:` prelude and heartbeats.
 * (The other feed is a replay, replay.ts.)
 */

import { type FeedOpening, quotedForLog, type StreamFeed } from "./feed.js";
import type { BroadcastHub, ResumeOutcome } from "./hub.js";
import type { StreamSink } from "./stream-sink.js";

export interface HubFeedOptions {
  /** `--replay-history`: a client without Last-Event-ID gets every kept event first. */
  replayHistory: boolean;
  /** Sent as `retry:` to every new client. */
  retryMs?: number;
}

/** Every hub client gets the usual event-stream head. */
const usualOpening: FeedOpening = {};

export class HubFeed implements StreamFeed {
  readonly #hub: BroadcastHub;
  readonly #replayHistory: boolean;
  readonly #retryPrelude: Buffer | undefined;

  constructor(hub: BroadcastHub, options: HubFeedOptions) {
    this.#hub = hub;
    this.#replayHistory = options.replayHistory;
    if (options.retryMs !== undefined) {
      this.#retryPrelude = Buffer.from(`retry: ${options.retryMs}\n\n`);
    }
  }

  open(): FeedOpening {
    return usualOpening;
  }

  start(client: StreamSink, _opening: FeedOpening, lastEventId: string | undefined): string {
    const outcome = this.#hub.addClient(client, {
      ...(lastEventId === undefined ? {} : { lastEventId }),
      replayHistory: this.#replayHistory,
      ...(this.#retryPrelude === undefined ? {} : { prelude: this.#retryPrelude }),
    });
    return describeResume(lastEventId ?? "", outcome);
  }

  remove(client: StreamSink): void {
    this.#hub.removeClient(client);
  }

  drained(client: StreamSink): void {
    this.#hub.clientDrained(client);
  }

  heartbeat(): void {
    this.#hub.heartbeat();
  }
}

/** Why a new client got what it got from the history, for the connect line. */
function describeResume(lastEventId: string, outcome: ResumeOutcome): string {
  const events = (count: number) => (count === 1 ? "1 kept event" : `${count} kept events`);
  switch (outcome.kind) {
    case "live":
      return outcome.keptEvents === 0
        ? ""
        : ` (no Last-Event-ID: live events only, ${events(outcome.keptEvents)} not sent; ` +
            "Last-Event-ID: earliest or --replay-history sends them)";
    case "resumed":
      return ` (Last-Event-ID ${quotedForLog(lastEventId)}: ${outcome.missedEvents} missed events sent)`;
    case "unknown-id":
      return ` (Last-Event-ID ${quotedForLog(lastEventId)} not in history: all ${events(outcome.missedEvents)} sent)`;
    case "earliest":
      return ` (Last-Event-ID "earliest": all ${events(outcome.missedEvents)} sent)`;
    case "replay-history":
      return ` (--replay-history: all ${events(outcome.missedEvents)} sent)`;
  }
}
