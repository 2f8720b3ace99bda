/**
 * The broadcast hub of `serve`: one ordered stream of events, kept in a history ring
 * (history-ring.ts) and fanned out to the connected clients, paced by back-pressure.ts. Pure.
 * Each batch is encoded once into one Buffer, written as the same object to every client.
 *
 * A new client that asks for kept events (Last-Event-ID, `earliest`, --replay-history) gets
 * them piece by piece as it takes them, so its queue stays within --max-client-buffer however
 * large the history; live events follow through the same ring, in order. A client so slow
 * that the ring lets go of events it has not been sent is dropped.
 */
import {
  encodeComment,
  encodeEvent,
  type OutgoingEvent,
  outgoingEventProblem,
} from "../../sse/encoder.js";
import { BackPressure } from "./back-pressure.js";
import { type HistoryEntry, HistoryRing } from "./history-ring.js";
import type { HubClient } from "./hub-client.js";

export interface BroadcastHubOptions {
  /** How many events the history ring keeps for clients resuming with Last-Event-ID. */
  historySize: number;
  /** `--ids`: number the events that carry no id (1, 2, 3, ... in stream order). */
  assignIds?: boolean;
  /** A client whose backlog would grow past this is dropped (`--max-client-buffer`). */
  maxClientBufferBytes: number;
}

/** What a new client asks of the history. */
export interface ClientJoin {
  /** Its Last-Event-ID header: the kept events after it; `earliest`: every kept event. */
  lastEventId?: string;
  /** `--replay-history`: without a Last-Event-ID, every kept event too. */
  replayHistory?: boolean;
  /** Sent before anything else (for example `retry:`). */
  prelude?: Buffer;
}

/** The Last-Event-ID that asks for the whole kept history (the convention Mercure uses). */
export const earliestEventId = "earliest";

/** One event as published: where it sits in the stream and the id it was sent with. */
export interface PublishedEvent {
  /** Position in the stream, 1-based, counting every published event. */
  seq: number;
  /** The `id:` sent with it (from the input, or assigned with `--ids`), if any. */
  id: string | undefined;
}

export interface PublishResult {
  published: PublishedEvent[];
  /** Events that cannot be encoded faithfully (an id with CR/LF/NUL ...), with the index. */
  rejected: Array<{ index: number; reason: string }>;
}

/** What a new client is sent from the history, and why. */
export type ResumeOutcome =
  /** No Last-Event-ID: live events only; `keptEvents` were there and not sent. */
  | { kind: "live"; keptEvents: number }
  /** Found: the events after it are sent. */
  | { kind: "resumed"; missedEvents: number }
  /**
   * Not in the history (too old, or from an earlier run): every kept event is sent, because
   * the client missed at least those; a few may be ones it already has.
   */
  | { kind: "unknown-id"; missedEvents: number }
  /** `Last-Event-ID: earliest`: every kept event is sent. */
  | { kind: "earliest"; missedEvents: number }
  /** `--replay-history` and no Last-Event-ID: every kept event is sent. */
  | { kind: "replay-history"; missedEvents: number };

/**
 * Where a replaying client is in the history: the seq of the next event to start, and what is
 * left of one sent in part (held here, so the ring may let go of it meanwhile).
 */
interface ReplayCursor {
  seq: number;
  rest: Buffer | undefined;
}

const heartbeatBytes = Buffer.from(`${encodeComment("heartbeat")}\n`);

/** Ids that --ids numbering continues after: digits only, a safe integer. */
const numericId = /^[0-9]{1,15}$/;

export class BroadcastHub {
  readonly #historySize: number;
  readonly #assignIds: boolean;
  readonly #maxClientBufferBytes: number;
  readonly #history: HistoryRing;
  readonly #clients = new Set<HubClient>();
  /** Clients still being sent kept events; live events reach them through the ring. */
  readonly #replaying = new Map<HubClient, ReplayCursor>();
  /** A replay piece's size; a replaying client is sent more while its backlog is below it. */
  readonly #replayPieceBytes: number;
  readonly #backPressure = new BackPressure(this.#clients, this.#replaying);
  #lastSeq = 0;
  /** The largest numeric id published (given or assigned): --ids continues after it. */
  #largestNumericId = 0;

  constructor(options: BroadcastHubOptions) {
    this.#historySize = Math.max(0, options.historySize);
    this.#history = new HistoryRing(this.#historySize);
    this.#assignIds = options.assignIds ?? false;
    this.#maxClientBufferBytes = options.maxClientBufferBytes;
    // Backlog below one piece, plus one piece: never more than the bound queued by a replay.
    this.#replayPieceBytes = Math.max(
      1,
      Math.min(64 * 1024, Math.floor(this.#maxClientBufferBytes / 2)),
    );
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /** Events published so far. */
  get publishedCount(): number {
    return this.#lastSeq;
  }

  /** Events kept for resuming clients. */
  get historyLength(): number {
    return this.#history.length;
  }

  /**
   * Appends events to the stream: encodes each once, keeps them in the history, and writes the
   * whole batch as one buffer to every client.
   */
  publish(events: readonly OutgoingEvent[]): PublishResult {
    const result: PublishResult = { published: [], rejected: [] };
    const blocks: string[] = [];
    const entries: Array<{ seq: number; id: string | undefined; length: number }> = [];
    for (const [index, event] of events.entries()) {
      const problem = outgoingEventProblem(event);
      if (problem !== undefined) {
        result.rejected.push({ index, reason: problem });
        continue;
      }
      const seq = ++this.#lastSeq;
      let withId = event;
      if (this.#assignIds && event.id === undefined) {
        // Numbered by position, but never at or below a numeric id the stream already carried.
        this.#largestNumericId = Math.max(seq, this.#largestNumericId + 1);
        withId = { ...event, id: String(this.#largestNumericId) };
      } else if (event.id !== undefined && numericId.test(event.id)) {
        this.#largestNumericId = Math.max(this.#largestNumericId, Number(event.id));
      }
      const text = encodeEvent(withId);
      blocks.push(text);
      entries.push({ seq, id: withId.id, length: Buffer.byteLength(text) });
      result.published.push({ seq, id: withId.id });
    }
    if (blocks.length === 0) return result;
    // Not Buffer.from(): small strings would land in Node's shared 8 KiB pool, and the history
    // keeping a view of one event would pin the whole slab.
    const text = blocks.join("");
    const batch = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
    batch.write(text);
    let offset = 0;
    for (const entry of entries) {
      this.#history.remember({
        seq: entry.seq,
        id: entry.id,
        bytes: batch.subarray(offset, offset + entry.length),
      });
      offset += entry.length;
    }
    if (this.#replaying.size === 0) {
      for (const client of this.#clients) this.#sendTo(client, batch);
    } else {
      this.#dropOvertakenReplays();
      for (const client of this.#clients) {
        if (!this.#replaying.has(client)) this.#sendTo(client, batch);
      }
    }
    return result;
  }

  /**
   * Registers a client. `prelude` (for example `retry:`) is sent first, then the kept events it
   * asks for (see ClientJoin), piece by piece as it takes them, then live events.
   */
  addClient(client: HubClient, join: ClientJoin = {}): ResumeOutcome {
    this.#clients.add(client);
    const { lastEventId, prelude } = join;
    const kept = this.#history.length;
    const oldestSeq = this.#lastSeq - kept + 1;
    let outcome: ResumeOutcome;
    let fromSeq = oldestSeq;
    if (lastEventId === earliestEventId) {
      outcome = { kind: "earliest", missedEvents: kept };
    } else if (lastEventId !== undefined) {
      const seq = this.#history.seqOf(lastEventId);
      if (seq === undefined) {
        outcome = { kind: "unknown-id", missedEvents: kept };
      } else {
        fromSeq = seq + 1;
        outcome = { kind: "resumed", missedEvents: this.#lastSeq - seq };
      }
    } else if (join.replayHistory) {
      outcome = { kind: "replay-history", missedEvents: kept };
    } else {
      outcome = { kind: "live", keptEvents: kept };
    }
    if (prelude) {
      client.send(prelude);
      client.sentSinceHeartbeat = true;
    }
    if (outcome.kind !== "live" && outcome.missedEvents > 0) {
      this.#replaying.set(client, { seq: fromSeq, rest: undefined });
      this.#continueReplay(client);
    }
    return outcome;
  }

  removeClient(client: HubClient): void {
    this.#replaying.delete(client);
    if (this.#clients.delete(client)) this.#backPressure.check();
  }

  /** Sends a heartbeat comment to every client that was sent nothing since the last tick. */
  heartbeat(): void {
    for (const client of this.#clients) {
      if (this.#replaying.has(client)) continue;
      // A heartbeat does not count as traffic: an idle client gets one every tick.
      if (client.sentSinceHeartbeat) client.sentSinceHeartbeat = false;
      else this.#sendTo(client, heartbeatBytes, false);
    }
  }

  /**
   * Resolves once no client that is not stalled has more than `highWaterBytes` unsent: the
   * source is then read on, no faster than clients drain it.
   */
  whenDrained(highWaterBytes: number): Promise<void> {
    return this.#backPressure.whenDrained(highWaterBytes);
  }

  /** True while some client that is not stalled is over `highWaterBytes`. */
  isCongested(highWaterBytes: number): boolean {
    return this.#backPressure.isCongested(highWaterBytes);
  }

  /**
   * Called once per stall period the source waited in vain: marks the clients over the
   * high-water mark that made no progress since as stalled (back-pressure.ts); how many.
   */
  markCongestedStalled(): number {
    return this.#backPressure.markCongestedStalled();
  }

  /** The server calls this when a client's write reached the socket (it made progress). */
  clientDrained(client: HubClient): void {
    client.stalled = false;
    client.progressed = true;
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: performance only: #continueReplay checks too
    if (this.#replaying.size > 0 && this.#replaying.has(client)) this.#continueReplay(client);
    this.#backPressure.check();
  }

  /** Sends the next pieces of kept events while the client's backlog is below one piece. */
  #continueReplay(client: HubClient): void {
    const cursor = this.#replaying.get(client);
    if (cursor === undefined) return;
    while (client.backlogBytes < this.#replayPieceBytes) {
      const piece = this.#nextReplayPiece(cursor);
      if (piece === undefined) {
        // Caught up: from here on the client gets live batches like everyone else.
        this.#replaying.delete(client);
        return;
      }
      client.send(piece);
      client.sentSinceHeartbeat = true;
    }
  }

  /**
   * Up to one piece of history from the cursor, advancing it: a view into one large event, or
   * several small ones copied together (a bounded copy, so not one write per event).
   */
  #nextReplayPiece(cursor: ReplayCursor): Buffer | undefined {
    const parts: Buffer[] = [];
    let bytes = 0;
    while (bytes < this.#replayPieceBytes) {
      if (cursor.rest === undefined) {
        const entry = cursor.seq <= this.#lastSeq ? this.#entryAt(cursor.seq) : undefined;
        if (entry === undefined) break;
        cursor.rest = entry.bytes;
        cursor.seq++;
      }
      const take = Math.min(cursor.rest.length, this.#replayPieceBytes - bytes);
      parts.push(cursor.rest.subarray(0, take));
      bytes += take;
      cursor.rest = take === cursor.rest.length ? undefined : cursor.rest.subarray(take);
    }
    if (parts.length === 0) return undefined;
    return parts.length === 1 ? parts[0] : Buffer.concat(parts, bytes);
  }

  /** The kept event with this seq (the ring holds consecutive seqs), if still kept. */
  #entryAt(seq: number): HistoryEntry | undefined {
    return this.#history.at(seq - (this.#lastSeq - this.#history.length + 1));
  }

  /** A replaying client whose next event already left the ring can no longer be given it. */
  #dropOvertakenReplays(): void {
    const oldestSeq = this.#lastSeq - this.#history.length + 1;
    for (const [client, cursor] of this.#replaying) {
      if (cursor.seq >= oldestSeq) continue;
      this.#replaying.delete(client);
      this.#clients.delete(client);
      client.drop(
        `too slow to catch up: events it had not been sent left the --history ring (${this.#historySize})`,
      );
    }
  }

  #sendTo(client: HubClient, chunk: Buffer, isTraffic = true): void {
    const backlog = client.backlogBytes;
    // Dropped once the backlog *stays* over the bound (already over when the next chunk comes):
    // backlog + chunk would drop a healthy reader a little behind when a large batch comes.
    if (backlog > this.#maxClientBufferBytes) {
      this.#clients.delete(client);
      client.drop(
        `${backlog} bytes unsent, over --max-client-buffer ${this.#maxClientBufferBytes}`,
      );
      this.#backPressure.check();
      return;
    }
    client.send(chunk);
    if (isTraffic) client.sentSinceHeartbeat = true;
  }
}
