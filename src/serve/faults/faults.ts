/**
 * The faults of `serve` at work (their options: fault-options.ts), one per server:
 * `--fail-first` answers whole stream requests; the faults that act on a stream's bytes stand
 * in front of each client's connection (faulty-sink.ts), whatever feeds it (the hub or a
 * replay). Each fault says on stderr when it acts.
 */
import type { StreamSink } from "../feeds/stream-sink.js";
import { defaultFailStatus, type FaultOptions } from "./fault-options.js";
import { FaultySink } from "./faulty-sink.js";

export class Faults {
  readonly #options: FaultOptions;
  readonly #warn: (line: string) => void;
  /** Stream requests answered with --fail-first's status so far. */
  #failed = 0;

  constructor(options: FaultOptions, warn: (line: string) => void) {
    this.#options = options;
    this.#warn = warn;
  }

  /** How long the response head is held (--latency holds every write). */
  get headDelayMs(): number {
    return this.#options.latency ?? 0;
  }

  /**
   * The status to answer this stream request with instead of a stream (--fail-first), or
   * undefined: the first n requests fail, the rest stream.
   */
  failure(peer: string): number | undefined {
    const limit = this.#options.failFirst;
    if (limit === undefined || this.#failed >= limit) return undefined;
    this.#failed++;
    const status = this.#options.failStatus ?? defaultFailStatus;
    this.#warn(
      `fault: --fail-first ${limit}: answered ${peer} with ${status} (request ${this.#failed} of ${limit})`,
    );
    return status;
  }

  /** The faults that act on bytes, in front of `sink`; `sink` itself when none is on. */
  wrap(sink: StreamSink, peer: string): StreamSink {
    const options = this.#options;
    const actsOnBytes =
      options.dropAfter !== undefined ||
      options.stallAfter !== undefined ||
      options.chunkSplit !== undefined ||
      (options.latency ?? 0) > 0;
    return actsOnBytes ? new FaultySink(sink, options, peer, this.#warn) : sink;
  }
}
