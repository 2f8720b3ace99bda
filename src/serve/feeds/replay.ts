/**
 * `serve --replay <file>`: a recording (`listen --record`) played to each client on its own,
 * from the start: the recorded head (status and headers), then the body bytes with the
 * recorded chunk boundaries and the recorded waits (`--speed` scales them; `max` does not
 * wait), then the recorded end: a clean end, a broken connection, or (when the recording
 * client had stopped) an open connection. `--loop` plays the recording again instead of its
 * last end. A client sending a Last-Event-ID goes on right after the block that set that id
 * (replay-plan.ts). Nothing is added to the recorded bytes: no heartbeat, no `retry:`.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { type FeedOpening, quotedForLog, type StreamChoices, type StreamFeed } from "./feed.js";
import type { ReplayPlan, ReplayPosition, ReplayStart } from "./replay-plan.js";
import type { StreamSink } from "./stream-sink.js";

/** While a client has more than this unsent, its replay waits for it to take it. */
const highWaterBytes = 64 * 1024;

/** `--speed`: how much faster than recorded (2: twice as fast); "max": no waiting at all. */
export type ReplaySpeed = number | "max";

export interface ReplayOptions {
  speed: ReplaySpeed;
  loop: boolean;
  /** Said once when the file has something the replay leaves out. */
  warn: (line: string) => void;
}

interface ReplayOpening extends FeedOpening {
  start: ReplayStart;
  /** This stream's speed: the server's, or the one its request chose. */
  speed: ReplaySpeed;
}

/** The feed of a replaying server: a player per client. */
export class ReplayFeed implements StreamFeed {
  readonly #plan: ReplayPlan;
  readonly #options: ReplayOptions;
  readonly #players = new Map<StreamSink, ReplayPlayer>();

  constructor(plan: ReplayPlan, options: ReplayOptions) {
    this.#plan = plan;
    this.#options = options;
  }

  open(lastEventId: string | undefined, choices: StreamChoices = {}): ReplayOpening {
    const speed = choices.speed ?? this.#options.speed;
    const start = this.#plan.startFor(lastEventId);
    const segment = this.#plan.segments[start.position.segment]!;
    const fromTheTop = start.position.chunk === 0 && start.position.offset === 0;
    return {
      start,
      speed,
      head: {
        status: segment.status,
        statusText: segment.statusText,
        headers: segment.headers,
        // A fresh start keeps the recorded wait for the head; a resumed one goes on at once.
        delayMs:
          start.kind === "resumed" || !fromTheTop
            ? 0
            : scaled(segment.headT - segment.requestT, speed),
      },
    };
  }

  start(client: StreamSink, opening: FeedOpening, lastEventId: string | undefined): string {
    const { start, speed } = opening as ReplayOpening;
    const player = new ReplayPlayer(this.#plan, { ...this.#options, speed }, client, start);
    this.#players.set(client, player);
    player.play();
    switch (start.kind) {
      case "start":
        return " (replay from the start)";
      case "earliest":
        return ' (Last-Event-ID "earliest": replay from the start)';
      case "resumed":
        return ` (Last-Event-ID ${quotedForLog(lastEventId ?? "")}: replay goes on after it)`;
      case "unknown-id":
        return ` (Last-Event-ID ${quotedForLog(lastEventId ?? "")} not in the recording: replay from the start)`;
    }
  }

  remove(client: StreamSink): void {
    this.#players.get(client)?.stop();
    this.#players.delete(client);
  }

  drained(client: StreamSink): void {
    this.#players.get(client)?.drained();
  }

  heartbeat(): void {
    // A replay sends the recorded bytes and nothing else.
  }
}

function scaled(ms: number, speed: ReplaySpeed): number {
  return speed === "max" ? 0 : Math.max(0, ms / speed);
}

/** One client's replay. */
class ReplayPlayer {
  readonly #plan: ReplayPlan;
  readonly #options: ReplayOptions;
  readonly #client: StreamSink;
  readonly #start: ReplayStart;
  readonly #stopped = new AbortController();
  #wakeOnDrain: (() => void) | undefined;

  constructor(plan: ReplayPlan, options: ReplayOptions, client: StreamSink, start: ReplayStart) {
    this.#plan = plan;
    this.#options = options;
    this.#client = client;
    this.#start = start;
  }

  play(): void {
    this.#run().catch(() => {
      // Stopped during a wait: the client went away.
    });
  }

  stop(): void {
    this.#stopped.abort();
    this.#wakeOnDrain?.();
  }

  drained(): void {
    if (this.#client.backlogBytes <= highWaterBytes) this.#wakeOnDrain?.();
  }

  async #run(): Promise<void> {
    const signal = this.#stopped.signal;
    const { segments } = this.#plan;
    const speed = this.#options.speed;
    let position: ReplayPosition = this.#start.position;
    let segment = segments[position.segment]!;
    // The wall-clock time (performance.now) that corresponds to the recording's `anchorT`.
    let anchorMs = performance.now();
    let anchorT =
      position.chunk === 0 && position.offset === 0
        ? segment.headT
        : (segment.chunks[position.chunk]?.t ?? segment.headT);
    for (;;) {
      const chunk = segment.chunks[position.chunk];
      if (chunk === undefined) {
        // The response is over: end it as recorded, or play the recording again.
        const last = position.segment === segments.length - 1;
        if (last && this.#options.loop && segment.status === 200) {
          const first = this.#plan.loopSegment;
          position = { segment: first, chunk: 0, offset: 0 };
          segment = segments[first]!;
          if (segment.chunks.length === 0) return;
          anchorMs = performance.now();
          anchorT = segment.headT;
          continue;
        }
        this.#finish(segment.end, segment.status, segment.chunks.length);
        return;
      }
      const waitMs =
        speed === "max" ? 0 : anchorMs + (chunk.t - anchorT) / speed - performance.now();
      if (waitMs > 0) await sleep(waitMs, undefined, { signal });
      if (signal.aborted) return;
      const bytes = position.offset === 0 ? chunk.bytes : chunk.bytes.subarray(position.offset);
      if (bytes.length > 0) this.#client.send(bytes);
      position = { segment: position.segment, chunk: position.chunk + 1, offset: 0 };
      if (this.#client.backlogBytes > highWaterBytes) {
        // A slow client: wait for it, and keep the recorded gaps from here on.
        const waitStart = performance.now();
        await new Promise<void>((resolve) => {
          this.#wakeOnDrain = resolve;
        });
        this.#wakeOnDrain = undefined;
        if (signal.aborted) return;
        anchorMs += performance.now() - waitStart;
      }
    }
  }

  /**
   * The end of a recorded response: "ended" ends it, "dropped" breaks the connection, and a
   * recording that stops while the stream was open (its client stopped) leaves it open. A
   * response that was not a stream (an error status) had no body recorded: it ends at once.
   */
  #finish(end: string | undefined, status: number, chunkCount: number): void {
    if (status !== 200 && chunkCount === 0) {
      this.#client.end(() => {});
      return;
    }
    if (end === "ended") this.#client.end(() => {});
    else if (end === "dropped") this.#client.cut();
  }
}
