/**
 * How a run of `listen` is stopped: the first reason given wins (src/listen/outcome.ts) and
 * aborts the run's signal, which ends a pending request, body read, stdout wait or reconnect
 * wait at once. It also keeps the --timeout and --idle-timeout timers.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { StopReason } from "./outcome.js";

export interface StopTimers {
  /** --timeout: the whole run, in milliseconds. */
  timeoutMs?: number;
  /** --idle-timeout: without a byte, in milliseconds. */
  idleTimeoutMs?: number;
}

export class StopSwitch {
  readonly #controller = new AbortController();
  readonly #timers: StopTimers;
  #reason: StopReason | undefined;
  #totalTimer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(timers: StopTimers) {
    this.#timers = timers;
  }

  /** Why the run stopped; undefined while it runs. */
  get reason(): StopReason | undefined {
    return this.#reason;
  }

  /** Aborted when the run stops. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  stop(reason: StopReason): void {
    if (this.#reason) return;
    this.#reason = reason;
    this.#controller.abort();
  }

  /** Starts --timeout, if given. */
  startTimeout(): void {
    const ms = this.#timers.timeoutMs;
    if (ms !== undefined) this.#totalTimer = setTimeout(() => this.stop("timeout"), ms);
  }

  /** (Re)starts --idle-timeout, if given: before a connection is opened. */
  armIdleTimer(): void {
    const ms = this.#timers.idleTimeoutMs;
    if (ms === undefined) return;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => this.stop("idle-timeout"), ms);
  }

  /** Bytes arrived: the idle time starts again. */
  bytesArrived(): void {
    this.#idleTimer?.refresh();
  }

  /** No idle time counts while waiting to reconnect. */
  pauseIdleTimer(): void {
    clearTimeout(this.#idleTimer);
  }

  /** Waits `ms`; false when the run stopped meanwhile. */
  wait(ms: number): Promise<boolean> {
    return sleep(ms, true, { signal: this.signal }).catch(() => false);
  }

  /** Clears the timers (the run is over). */
  dispose(): void {
    clearTimeout(this.#totalTimer);
    clearTimeout(this.#idleTimer);
  }
}
