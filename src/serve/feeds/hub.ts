/**
 * The broadcast hub of `serve`: one ordered stream of events, its history ring, and the
 * connected clients it fans out to. Pure: no sockets, no timers, no console; the server hands
 * in clients as `HubClient`s and the input pump calls `publish`.
 *
 * Performance rules (issue 8): each event is encoded once; a batch of events becomes one Buffer
 * that the very same object is written to every client (no per-client copies); a client holds
 * only a few fields; waiting for slow clients is one promise for all, woken as clients' writes
 * reach their sockets.
 *
 * A new client that asks for kept events (Last-Event-ID, `earliest`, --replay-history) is sent
 * them from the history ring in pieces of at most `replayPieceBytes`, each piece only once the
 * client took the previous ones, so what is queued for it stays within --max-client-buffer
 * however large the history. Live events reach it through the same ring, after the replay, in
 * order; a client so slow that the ring drops events it has not been sent is dropped.
 */
import {
  encodeComment,
  encodeEvent,
  type OutgoingEvent,
  outgoingEventProblem,
} from "../../sse/encoder.js";

/** What the hub needs from a connected client (implemented by the HTTP server). */
export interface HubClient {
  /** Bytes handed to the connection and not yet taken by the peer's socket. */
  readonly backlogBytes: number;
  /** Queues bytes for the peer. */
  send(chunk: Buffer): void;
  /** The hub gave up on this client (its backlog would pass the bound); close it and log. */
  drop(reason: string): void;
  /** Hub-owned: something was sent since the last heartbeat tick. */
  sentSinceHeartbeat: boolean;
  /** Hub-owned: made no progress while the source waited; not waited for until it drains. */
  stalled: boolean;
  /** Hub-owned: a write reached its socket since the last stall check. */
  progressed: boolean;
}

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

interface HistoryEntry {
  seq: number;
  id: string | undefined;
  /** The encoded block; a view into its batch's buffer, not a copy. */
  bytes: Buffer;
}

const heartbeatBytes = Buffer.from(`${encodeComment("heartbeat")}\n`);

/** Ids that --ids numbering continues after: digits only, a safe integer. */
const numericId = /^[0-9]{1,15}$/;

export class BroadcastHub {
  readonly #historySize: number;
  readonly #assignIds: boolean;
  readonly #maxClientBufferBytes: number;
  /** Ring buffer: `#history[(#historyStart + i) % size]` is the i-th oldest kept event. */
  readonly #history: HistoryEntry[] = [];
  #historyStart = 0;
  /** id -> seq of the newest kept event that carried it. */
  readonly #seqById = new Map<string, number>();
  readonly #clients = new Set<HubClient>();
  /** Clients still being sent kept events; live events reach them through the ring. */
  readonly #replaying = new Map<HubClient, ReplayCursor>();
  /** A replay piece's size; a replaying client is sent more while its backlog is below it. */
  readonly #replayPieceBytes: number;
  #lastSeq = 0;
  /** The largest numeric id published (given or assigned): --ids continues after it. */
  #largestNumericId = 0;
  #drainWaiters: Array<() => void> = [];
  #drainHighWaterBytes = 0;

  constructor(options: BroadcastHubOptions) {
    this.#historySize = Math.max(0, options.historySize);
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
      this.#remember({
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
      const seq = this.#seqById.get(lastEventId);
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
    if (this.#clients.delete(client)) this.#checkDrained();
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
   * source is then read on. This is how the source is read no faster than clients drain it.
   */
  whenDrained(highWaterBytes: number): Promise<void> {
    this.#drainHighWaterBytes = highWaterBytes;
    if (!this.#isCongested()) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /** True while some client that is not stalled is over `highWaterBytes`. */
  isCongested(highWaterBytes: number): boolean {
    this.#drainHighWaterBytes = highWaterBytes;
    return this.#isCongested();
  }

  /**
   * Called once per stall period the source waited in vain. Marks the clients still over the
   * high-water mark that made no progress since the last call as stalled: the source stops
   * waiting for them; they keep receiving until they drain (then count again) or pass the bound
   * (dropped). A slow client that is still reading is waited for: it is judged again next time.
   */
  markCongestedStalled(): number {
    let marked = 0;
    for (const client of this.#clients) {
      if (this.#replaying.has(client)) continue;
      if (!client.stalled && client.backlogBytes > this.#drainHighWaterBytes) {
        if (client.progressed) {
          client.progressed = false;
          continue;
        }
        client.stalled = true;
        marked++;
      }
    }
    this.#checkDrained();
    return marked;
  }

  /** The server calls this when a client's write reached the socket (it made progress). */
  clientDrained(client: HubClient): void {
    client.stalled = false;
    client.progressed = true;
    if (this.#replaying.has(client)) this.#continueReplay(client);
    this.#checkDrained();
  }

  /**
   * Replaying clients do not hold the source back: they are behind by choice, catching up on
   * the past while the ring keeps what they have not been sent.
   */
  #isCongested(): boolean {
    for (const client of this.#clients) {
      if (this.#replaying.has(client)) continue;
      if (!client.stalled && client.backlogBytes > this.#drainHighWaterBytes) return true;
    }
    return false;
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
    const index = seq - (this.#lastSeq - this.#history.length + 1);
    if (index < 0 || index >= this.#history.length) return undefined;
    return this.#history[(this.#historyStart + index) % this.#history.length];
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

  #checkDrained(): void {
    if (this.#drainWaiters.length === 0 || this.#isCongested()) return;
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #sendTo(client: HubClient, chunk: Buffer, isTraffic = true): void {
    const backlog = client.backlogBytes;
    // A client is dropped once its backlog *stays* over the bound: it is already over when the
    // next chunk comes. Judging by backlog + chunk instead would drop a healthy reader that is a
    // few KiB behind when a large batch (one stdin read, up to 64 KiB) is published. Memory per
    // client stays under the bound plus one batch.
    if (backlog > this.#maxClientBufferBytes) {
      this.#clients.delete(client);
      client.drop(
        `${backlog} bytes unsent, over --max-client-buffer ${this.#maxClientBufferBytes}`,
      );
      this.#checkDrained();
      return;
    }
    client.send(chunk);
    if (isTraffic) client.sentSinceHeartbeat = true;
  }

  #remember(entry: HistoryEntry): void {
    if (this.#historySize === 0) return;
    if (this.#history.length < this.#historySize) {
      this.#history.push(entry);
    } else {
      const evicted = this.#history[this.#historyStart]!;
      if (evicted.id !== undefined && this.#seqById.get(evicted.id) === evicted.seq) {
        this.#seqById.delete(evicted.id);
      }
      this.#history[this.#historyStart] = entry;
      this.#historyStart = (this.#historyStart + 1) % this.#historySize;
    }
    if (entry.id !== undefined) this.#seqById.set(entry.id, entry.seq);
  }
}
