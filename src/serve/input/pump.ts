/**
 * Moves events from the source into the hub: reads lines, parses them in the chosen format,
 * paces them (`--interval`, `--timing original`), repeats the file (`--loop`), and reads on only
 * once the connected clients have drained what they were sent (back-pressure).
 *
 * A client that makes no progress for `stallMs` while the source waits is no longer waited
 * for: it keeps receiving until it drains or its backlog passes --max-client-buffer (then the
 * hub drops it). So one stalled client delays the others by at most `stallMs`, once.
 */
import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { SseToolError } from "../../errors.js";
import { escapeForTerminalLine } from "../../terminal/escape.js";
import type { BroadcastHub } from "../feeds/hub.js";
import { createInputParser, type InputEvent, type InputFormat } from "./formats.js";
import { readLineBatches } from "./lines.js";

export interface EventPumpOptions {
  hub: BroadcastHub;
  /** Opens the source for one pass (called again for each `--loop` pass). */
  openSource: () => Readable;
  /** Shown before line numbers in warnings: a file name or `<stdin>`. */
  sourceName: string;
  format: InputFormat;
  defaultEventType?: string;
  strict?: boolean;
  intervalMs: number;
  timing: "none" | "original";
  loop?: boolean;
  maxLineBytes: number;
  /** The source waits while a client has more than this unsent. */
  highWaterBytes: number;
  stallMs: number;
  warn: (message: string) => void;
}

export class EventPump {
  readonly #options: EventPumpOptions;
  /** Aborted by stop(): ends a paced wait at once. */
  readonly #stopping = new AbortController();
  #source: Readable | undefined;
  #emitting: Promise<void> | undefined;
  #stopRequested: () => void = () => {};
  readonly #stopSignal = new Promise<void>((resolve) => {
    this.#stopRequested = resolve;
  });
  #lastTimeMs: number | undefined;
  #sentAny = false;
  /** A notice is given once per run, not once per --loop pass. */
  #noticeGiven = false;

  constructor(options: EventPumpOptions) {
    this.#options = options;
  }

  /**
   * Reads the source to its end (every pass with --loop). Resolves with the number of events
   * published, also when stopped early; rejects with an SseToolError in --strict mode.
   */
  async run(): Promise<number> {
    const start = this.#options.hub.publishedCount;
    const reading = this.#readAll();
    // stop() ends the run even while a read is pending on an idle stdin.
    await Promise.race([reading, this.#stopSignal]);
    if (this.#stopped && this.#emitting) await this.#emitting;
    reading.catch(() => {});
    return this.#options.hub.publishedCount - start;
  }

  /**
   * Stops reading. Events already read are published at once (pacing is skipped), so the
   * caller can flush them to clients before closing.
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopping.abort();
    this.#stopRequested();
    if (this.#emitting) await this.#emitting;
    this.#source?.destroy();
  }

  get #stopped(): boolean {
    return this.#stopping.signal.aborted;
  }

  async #readAll(): Promise<void> {
    const options = this.#options;
    for (;;) {
      const before = options.hub.publishedCount;
      await this.#readPass();
      if (!options.loop || this.#stopped) return;
      if (options.hub.publishedCount === before) {
        options.warn(`${options.sourceName}: no events to loop over`);
        return;
      }
    }
  }

  async #readPass(): Promise<void> {
    const options = this.#options;
    const parser = createInputParser(
      options.format,
      options.defaultEventType === undefined ? {} : { defaultEventType: options.defaultEventType },
    );
    const source = options.openSource();
    this.#source = source;
    try {
      for await (const batch of readLineBatches(source, options.maxLineBytes)) {
        const events: InputEvent[] = [];
        for (const line of batch) {
          if (line.warning !== undefined) this.#problem(line.line, line.warning);
          if (line.skipped) continue;
          for (const item of parser.pushLine(line.text, line.line)) {
            if (item.kind === "warning") this.#problem(item.line, item.message);
            else if (item.kind === "notice") this.#notice(item.line, item.message);
            else events.push(item);
          }
        }
        if (events.length > 0) {
          this.#emitting = this.#emit(events);
          await this.#emitting;
          this.#emitting = undefined;
        }
        if (this.#stopped) return;
      }
      for (const item of parser.end()) {
        if (item.kind === "warning") this.#problem(item.line, item.message);
      }
    } catch (error) {
      if (error instanceof SseToolError) throw error;
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new SseToolError("input", `cannot read ${options.sourceName}: ${reason}`, {
        cause: error,
      });
    } finally {
      source.destroy();
    }
  }

  /** A bad line: a warning, or the end of the run with --strict. */
  #problem(line: number, message: string): void {
    // The message may quote the input (V8's JSON errors do): never raw on a terminal.
    const text = escapeForTerminalLine(`${this.#options.sourceName}:${line}: ${message}`);
    if (this.#options.strict) {
      throw new SseToolError("input", `${text} (--strict)`);
    }
    this.#options.warn(text);
  }

  #notice(line: number, message: string): void {
    if (this.#noticeGiven) return;
    this.#noticeGiven = true;
    this.#options.warn(escapeForTerminalLine(`${this.#options.sourceName}:${line}: ${message}`));
  }

  async #emit(events: InputEvent[]): Promise<void> {
    const { intervalMs, timing } = this.#options;
    if (intervalMs === 0 && timing === "none") {
      this.#publish(events);
      await this.#waitForClients();
      return;
    }
    for (const [index, item] of events.entries()) {
      if (this.#stopped) {
        this.#publish(events.slice(index));
        return;
      }
      const delayMs = this.#delayBefore(item);
      // A pause cut short by stop() ends early; the events left are published at once above.
      if (delayMs > 0)
        await sleep(delayMs, undefined, { signal: this.#stopping.signal }).catch(() => {});
      this.#publish([item]);
      await this.#waitForClients();
    }
  }

  #delayBefore(item: InputEvent): number {
    const { intervalMs, timing } = this.#options;
    let delayMs = this.#sentAny ? intervalMs : 0;
    if (timing === "original" && item.timeMs !== undefined) {
      if (this.#lastTimeMs !== undefined) delayMs = Math.max(0, item.timeMs - this.#lastTimeMs);
      this.#lastTimeMs = item.timeMs;
    }
    this.#sentAny = true;
    return delayMs;
  }

  #publish(events: InputEvent[]): void {
    const result = this.#options.hub.publish(events.map((item) => item.event));
    for (const rejected of result.rejected) {
      this.#problem(events[rejected.index]?.line ?? 0, `${rejected.reason}, event skipped`);
    }
  }

  async #waitForClients(): Promise<void> {
    const { hub, highWaterBytes, stallMs } = this.#options;
    while (!this.#stopped && hub.isCongested(highWaterBytes)) {
      const stallTimer = new AbortController();
      const outcome = await Promise.race([
        hub.whenDrained(highWaterBytes),
        sleep(stallMs, "stalled" as const, { signal: stallTimer.signal }),
        this.#stopSignal,
      ]);
      // The race has settled (and handles the timer's AbortError): the timer is no longer needed.
      stallTimer.abort();
      if (outcome === "stalled") hub.markCongestedStalled();
    }
  }
}
