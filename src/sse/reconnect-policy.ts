/**
 * When to reconnect, as a browser's EventSource would (HTML §9.2.3 "reestablish the
 * connection": wait the reconnection time, then reconnect), with two bounds a command-line tool
 * needs and a browser leaves to the user agent:
 * - the server's `retry:` is capped (a hostile or buggy `retry: 99999999999` must not park the
 *   tool for days), and
 * - reconnects in a row that bring no event back off exponentially (a server that answers and
 *   hangs up at once, or says `retry: 0`, must not be hammered in a tight loop), and
 * - no reconnect comes sooner than `minReconnectDelayMs` (100 ms), even when every connection
 *   brings an event: `retry: 0` with one event per connection would otherwise reconnect
 *   hundreds of times a second.
 */

export interface ReconnectPolicyOptions {
  /** The initial reconnection time (`--retry`, default 3000 ms). */
  reconnectionTimeMs: number;
  /** Upper bound for any wait; a `--retry` above it raises it. Default 60 000 ms. */
  maxDelayMs?: number;
  /** Smallest base for the exponential backoff, so `retry: 0` still backs off. */
  minBackoffMs?: number;
  /** Shortest wait before any reconnect. Default 100 ms. */
  minReconnectDelayMs?: number;
  /** Reconnects in a row without an event before giving up; undefined: never give up. */
  maxRetries?: number;
}

export type ReconnectDecision =
  | { reconnect: true; delayMs: number; attemptsWithoutEvent: number }
  | { reconnect: false; attemptsWithoutEvent: number };

export const defaultMaxReconnectDelayMs = 60_000;
export const defaultMinBackoffMs = 100;
export const defaultMinReconnectDelayMs = 100;

export class ReconnectPolicy {
  /** The current reconnection time: `--retry`, then the server's last valid `retry:`. */
  reconnectionTimeMs: number;
  readonly maxDelayMs: number;
  readonly #minBackoffMs: number;
  readonly #minReconnectDelayMs: number;
  readonly #maxRetries: number | undefined;
  #attemptsWithoutEvent = 0;

  constructor(options: ReconnectPolicyOptions) {
    this.maxDelayMs = Math.max(
      options.maxDelayMs ?? defaultMaxReconnectDelayMs,
      options.reconnectionTimeMs,
    );
    this.reconnectionTimeMs = options.reconnectionTimeMs;
    this.#minBackoffMs = options.minBackoffMs ?? defaultMinBackoffMs;
    this.#minReconnectDelayMs = options.minReconnectDelayMs ?? defaultMinReconnectDelayMs;
    this.#maxRetries = options.maxRetries;
  }

  /** A valid `retry:` field from the server; returns the value in effect after capping. */
  setServerRetry(ms: number): number {
    this.reconnectionTimeMs = Math.min(ms, this.maxDelayMs);
    return this.reconnectionTimeMs;
  }

  /** An event arrived: the connection is healthy, the backoff starts over. */
  eventReceived(): void {
    this.#attemptsWithoutEvent = 0;
  }

  /** The connection ended or failed and may be re-established: how long to wait, or give up. */
  next(): ReconnectDecision {
    const attempt = this.#attemptsWithoutEvent + 1;
    if (this.#maxRetries !== undefined && attempt > this.#maxRetries) {
      return { reconnect: false, attemptsWithoutEvent: this.#attemptsWithoutEvent };
    }
    this.#attemptsWithoutEvent = attempt;
    // The first reconnect waits the reconnection time, as a browser does (but never less than
    // the floor); each further one in a row without an event doubles it (from at least
    // minBackoffMs), up to the cap.
    const delayMs =
      attempt === 1
        ? this.reconnectionTimeMs
        : Math.min(
            this.maxDelayMs,
            Math.max(this.reconnectionTimeMs, this.#minBackoffMs) * 2 ** Math.min(attempt - 1, 30),
          );
    return {
      reconnect: true,
      delayMs: Math.max(delayMs, this.#minReconnectDelayMs),
      attemptsWithoutEvent: attempt,
    };
  }
}
