/**
 * The broadcast hub of `serve`: one ordered stream of events, its history ring, and the
 * connected clients it fans out to. Pure: no sockets, no timers, no console; the server hands
 * in clients as `HubClient`s and the input pump calls `publish`.
 *
 * Performance rules (issue 8): each event is encoded once; a batch of events becomes one Buffer
 * that the very same object is written to every client (no per-client copies); a client holds
 * only a few fields; waiting for slow clients is one promise for all, woken as clients' writes
 * reach their sockets.
 */
import {
  encodeComment,
  encodeEvent,
  type OutgoingEvent,
  outgoingEventProblem,
} from "../sse/encoder.js";

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
}

export interface BroadcastHubOptions {
  /** How many events the history ring keeps for clients resuming with Last-Event-ID. */
  historySize: number;
  /** `--ids`: number the events that carry no id (1, 2, 3, ... in stream order). */
  assignIds?: boolean;
  /** A client whose backlog would grow past this is dropped (`--max-client-buffer`). */
  maxClientBufferBytes: number;
}

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

/** How a new client's Last-Event-ID was matched against the history. */
export type ResumeOutcome =
  /** No Last-Event-ID: live events only. */
  | { kind: "live" }
  /** Found: the events after it were sent. */
  | { kind: "resumed"; missedEvents: number }
  /**
   * Not in the history (too old, or from an earlier run): every kept event was sent, because
   * the client missed at least those; a few may be ones it already has.
   */
  | { kind: "unknown-id"; missedEvents: number };

interface HistoryEntry {
  seq: number;
  id: string | undefined;
  /** The encoded block; a view into its batch's buffer, not a copy. */
  bytes: Buffer;
}

const heartbeatBytes = Buffer.from(`${encodeComment("heartbeat")}\n`);

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
  #lastSeq = 0;
  #drainWaiters: Array<() => void> = [];
  #drainHighWaterBytes = 0;

  constructor(options: BroadcastHubOptions) {
    this.#historySize = Math.max(0, options.historySize);
    this.#assignIds = options.assignIds ?? false;
    this.#maxClientBufferBytes = options.maxClientBufferBytes;
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
      const withId =
        this.#assignIds && event.id === undefined ? { ...event, id: String(seq) } : event;
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
    for (const client of this.#clients) this.#sendTo(client, batch);
    return result;
  }

  /**
   * Registers a client. `prelude` (for example `retry:`) is sent first, then the events it
   * missed when `lastEventId` is given, all as one write.
   */
  addClient(client: HubClient, lastEventId?: string, prelude?: Buffer): ResumeOutcome {
    this.#clients.add(client);
    let outcome: ResumeOutcome = { kind: "live" };
    let missed: Buffer[] = [];
    if (lastEventId !== undefined) {
      const missedEntries = this.eventsSince(lastEventId);
      missed = missedEntries.events.map((entry) => entry.bytes);
      outcome = missedEntries.found
        ? { kind: "resumed", missedEvents: missed.length }
        : { kind: "unknown-id", missedEvents: missed.length };
    }
    const parts = prelude ? [prelude, ...missed] : missed;
    if (parts.length > 0) {
      const chunk = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      // A resuming client starts empty, so even a full history is accepted in one write.
      client.send(chunk);
      client.sentSinceHeartbeat = true;
    }
    return outcome;
  }

  removeClient(client: HubClient): void {
    if (this.#clients.delete(client)) this.#checkDrained();
  }

  /**
   * The kept events after the newest one that carried `lastEventId`. When no kept event
   * carried it, every kept event (`found: false`).
   */
  eventsSince(lastEventId: string): { found: boolean; events: HistoryEntry[] } {
    const seq = this.#seqById.get(lastEventId);
    const all = this.#orderedHistory();
    if (seq === undefined) return { found: false, events: all };
    return { found: true, events: all.filter((entry) => entry.seq > seq) };
  }

  /** Sends a heartbeat comment to every client that was sent nothing since the last tick. */
  heartbeat(): void {
    for (const client of this.#clients) {
      // A heartbeat does not count as traffic: an idle client gets one every tick.
      if (client.sentSinceHeartbeat) client.sentSinceHeartbeat = false;
      else this.#sendTo(client, heartbeatBytes, false);
    }
  }

  /** Writes raw bytes to every client (used for the final flush). */
  sendToAll(chunk: Buffer): void {
    for (const client of this.#clients) this.#sendTo(client, chunk);
  }

  get clients(): ReadonlySet<HubClient> {
    return this.#clients;
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
   * Marks the clients still over the high-water mark as stalled: the source stops waiting for
   * them; they keep receiving until they drain (then count again) or pass the bound (dropped).
   */
  markCongestedStalled(): number {
    let marked = 0;
    for (const client of this.#clients) {
      if (!client.stalled && client.backlogBytes > this.#drainHighWaterBytes) {
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
    this.#checkDrained();
  }

  #isCongested(): boolean {
    for (const client of this.#clients) {
      if (!client.stalled && client.backlogBytes > this.#drainHighWaterBytes) return true;
    }
    return false;
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

  #orderedHistory(): HistoryEntry[] {
    return [
      ...this.#history.slice(this.#historyStart),
      ...this.#history.slice(0, this.#historyStart),
    ];
  }
}
