/**
 * One stream's connection behind the faults that act on its bytes: --drop-after and
 * --stall-after count the events sent (found by the one decoder, src/sse/event-ends.ts) and act
 * right after the nth one's blank line, --chunk-split sends the bytes in small pieces, --latency
 * holds each write. The bytes wait here in order, as steps, one loop per connection.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { EventEndFinder } from "../../sse/event-ends.js";
import { formatMs } from "../../terminal/units.js";
import type { StreamSink } from "../feeds/stream-sink.js";
import { type FaultOptions, randomSplitMaxBytes } from "./fault-options.js";

/** Pieces of --chunk-split go out this far apart, so a reader gets each in a read of its own. */
const splitGapMs = 1;

/** What the connection is to do next, in order. `dueMs` is when, on performance.now(). */
type Step =
  | { kind: "bytes"; bytes: Buffer; dueMs: number }
  | { kind: "stall"; dueMs: number }
  | { kind: "cut"; dueMs: number }
  | { kind: "end"; done: () => void; dueMs: number };

/** One stream's connection behind the faults that act on its bytes. */
export class FaultySink implements StreamSink {
  sentSinceHeartbeat = false;
  stalled = false;
  progressed = false;
  readonly #inner: StreamSink;
  readonly #options: FaultOptions;
  readonly #peer: string;
  readonly #warn: (line: string) => void;
  readonly #steps: Step[] = [];
  /** Bytes taken and not yet handed to the connection: part of the backlog the hub sees. */
  #queuedBytes = 0;
  /** Counts events while --drop-after or --stall-after is still to come. */
  #finder: EventEndFinder | undefined;
  #events = 0;
  /** No more bytes are taken: the connection is cut (or to be), dropped or closed. */
  #closed = false;
  #running = false;
  /** Aborted when the connection closes: pending waits end at once. */
  readonly #gone = new AbortController();
  #saidSplit = false;
  #saidLatency = false;
  /** Whether --drop-after cut the connection (the request journal says so). */
  cutByFault = false;

  constructor(
    inner: StreamSink,
    options: FaultOptions,
    peer: string,
    warn: (line: string) => void,
  ) {
    this.#inner = inner;
    this.#options = options;
    this.#peer = peer;
    this.#warn = warn;
    if (options.dropAfter !== undefined || options.stallAfter !== undefined) {
      this.#finder = new EventEndFinder();
    }
    inner.socket.once("close", () => {
      this.#closed = true;
      this.#gone.abort();
      for (const step of this.#steps.splice(0)) if (step.kind === "end") step.done();
      this.#queuedBytes = 0;
    });
  }

  get socket() {
    return this.#inner.socket;
  }

  get dropReason(): string | undefined {
    return this.#inner.dropReason;
  }

  get backlogBytes(): number {
    return this.#inner.backlogBytes + this.#queuedBytes;
  }

  send(chunk: Buffer): void {
    if (this.#closed) return;
    const dueMs = performance.now() + (this.#options.latency ?? 0);
    let from = 0;
    const finder = this.#finder;
    if (finder !== undefined) {
      for (const end of finder.feed(chunk)) {
        if (!end.dispatched) continue;
        this.#events++;
        if (this.#events === this.#options.dropAfter) {
          this.#push({ kind: "bytes", bytes: chunk.subarray(from, end.offset), dueMs });
          this.#push({ kind: "cut", dueMs });
          this.#closed = true;
          this.#finder = undefined;
          this.#run();
          return;
        }
        if (this.#events === this.#options.stallAfter) {
          this.#push({ kind: "bytes", bytes: chunk.subarray(from, end.offset), dueMs });
          this.#push({ kind: "stall", dueMs });
          from = end.offset;
          if (this.#options.dropAfter === undefined) this.#finder = undefined;
        }
      }
    }
    this.#push({ kind: "bytes", bytes: chunk.subarray(from), dueMs });
    this.#run();
  }

  end(done: () => void): void {
    if (this.#closed && this.#steps.length === 0) {
      done();
      return;
    }
    this.#push({ kind: "end", done, dueMs: performance.now() });
    this.#run();
  }

  cut(): void {
    if (this.#closed) return;
    this.#push({ kind: "cut", dueMs: performance.now() });
    this.#closed = true;
    this.#run();
  }

  drop(reason: string): void {
    this.#closed = true;
    this.#inner.drop(reason);
  }

  #push(step: Step): void {
    if (step.kind === "bytes") {
      if (step.bytes.length === 0) return;
      this.#queuedBytes += step.bytes.length;
    }
    this.#steps.push(step);
  }

  /** Works through the steps, waiting where a fault says so; one loop per connection. */
  #run(): void {
    if (this.#running) return;
    this.#running = true;
    this.#work()
      .catch(() => {
        // The connection closed during a wait: nothing is left to send.
      })
      .finally(() => {
        this.#running = false;
      });
  }

  async #work(): Promise<void> {
    const signal = this.#gone.signal;
    const steps = this.#steps;
    while (steps.length > 0 && !signal.aborted) {
      const step = steps[0]!;
      const waitMs = step.dueMs - performance.now();
      if (waitMs > 0) {
        if (!this.#saidLatency) {
          this.#saidLatency = true;
          this.#warn(
            `fault: --latency ${formatMs(this.#options.latency ?? 0)}: holding each write to ${this.#peer}`,
          );
        }
        await sleep(waitMs, undefined, { signal });
      }
      switch (step.kind) {
        case "bytes":
          await this.#sendBytes(step, signal);
          break;
        case "stall": {
          steps.shift();
          const ms = this.#options.stallFor ?? 0;
          this.#warn(
            `fault: --stall-after ${this.#options.stallAfter}: holding ${this.#peer} for ${formatMs(ms)}`,
          );
          await sleep(ms, undefined, { signal });
          this.#warn(`fault: --stall-after: ${this.#peer} goes on`);
          break;
        }
        case "cut":
          steps.shift();
          if (this.#options.dropAfter !== undefined && this.#events >= this.#options.dropAfter) {
            this.#warn(
              `fault: --drop-after ${this.#options.dropAfter}: cut ${this.#peer} after ${this.#events} events`,
            );
            this.cutByFault = true;
          }
          this.#inner.cut();
          return;
        case "end":
          steps.shift();
          this.#inner.end(step.done);
          return;
      }
    }
  }

  /** A bytes step: all at once, or piece by piece with --chunk-split. */
  async #sendBytes(step: Extract<Step, { kind: "bytes" }>, signal: AbortSignal): Promise<void> {
    const split = this.#options.chunkSplit;
    if (split === undefined) {
      this.#steps.shift();
      this.#queuedBytes -= step.bytes.length;
      this.#inner.send(step.bytes);
      return;
    }
    if (!this.#saidSplit) {
      this.#saidSplit = true;
      const size = split === "random" ? `1 to ${randomSplitMaxBytes}-byte` : `${split}-byte`;
      this.#warn(
        `fault: --chunk-split ${split}: sending ${this.#peer} its bytes in ${size} pieces`,
      );
    }
    while (step.bytes.length > 0) {
      const size = split === "random" ? 1 + Math.floor(Math.random() * randomSplitMaxBytes) : split;
      const piece = step.bytes.subarray(0, size);
      step.bytes = step.bytes.subarray(piece.length);
      this.#queuedBytes -= piece.length;
      this.#inner.send(piece);
      if (step.bytes.length > 0 || this.#steps.length > 1) {
        await sleep(splitGapMs, undefined, { signal });
      }
    }
    this.#steps.shift();
  }
}
