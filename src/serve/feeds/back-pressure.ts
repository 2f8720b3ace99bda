/**
 * The hub's back-pressure: the source is read on only once no client it waits for has more
 * than the high-water mark unsent, so it is read no faster than clients drain it. A client
 * that makes no progress is marked stalled and no longer waited for. Pure.
 *
 * While the source waits, every write that reaches a socket asks again (check()), so asking
 * must not cost a pass over every client: the client last found holding the source back is
 * asked first, and a new search goes on round the clients from where the last one stopped. The
 * source is let go only after one whole round found no client holding it back.
 */
import type { HubClient } from "./hub-client.js";

export class BackPressure {
  readonly #clients: ReadonlySet<HubClient>;
  /** Clients catching up on the history: never waited for (see #isCongested). */
  readonly #replaying: ReadonlyMap<HubClient, unknown>;
  #drainWaiters: Array<() => void> = [];
  #drainHighWaterBytes = 0;
  /** The client last found holding the source back, if any. */
  #blocker: HubClient | undefined;
  /** Where the search round the clients goes on (a Set iterator sees later changes). */
  #cursor: Iterator<HubClient> | undefined;

  /** Watches the hub's own collections, not copies: they change as clients come and go. */
  constructor(clients: ReadonlySet<HubClient>, replaying: ReadonlyMap<HubClient, unknown>) {
    this.#clients = clients;
    this.#replaying = replaying;
  }

  /**
   * Resolves once no client that is not stalled has more than `highWaterBytes` unsent: the
   * source is then read on.
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
    this.check();
    return marked;
  }

  /** Wakes whoever waits in whenDrained() once nothing holds the source back any more. */
  check(): void {
    // Stryker disable next-line ConditionalExpression: performance only: nobody to wake
    if (this.#drainWaiters.length === 0 || this.#isCongested()) return;
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /**
   * Replaying clients do not hold the source back: they are behind by choice, catching up on
   * the past while the ring keeps what they have not been sent.
   */
  #isCongested(): boolean {
    const blocker = this.#blocker;
    // Stryker disable next-line ConditionalExpression,BlockStatement: performance only: the round finds it too
    if (blocker !== undefined && this.#clients.has(blocker) && this.#holdsBack(blocker)) {
      return true;
    }
    this.#blocker = undefined;
    // One whole round, starting after the last client looked at.
    // Stryker disable next-line EqualityOperator: performance only: one client looked at twice
    for (let left = this.#clients.size; left > 0; left--) {
      let step = this.#cursor?.next();
      if (step === undefined || step.done === true) {
        this.#cursor = this.#clients.values();
        step = this.#cursor.next();
      }
      // A fresh iterator over a set holding `left` clients has a first one.
      const client = step.value as HubClient;
      if (this.#holdsBack(client)) {
        this.#blocker = client;
        return true;
      }
    }
    return false;
  }

  #holdsBack(client: HubClient): boolean {
    return (
      !this.#replaying.has(client) &&
      !client.stalled &&
      client.backlogBytes > this.#drainHighWaterBytes
    );
  }
}
