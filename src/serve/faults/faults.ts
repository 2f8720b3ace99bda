/**
 * The faults of `serve` at work (their options: fault-options.ts): the server's own, or those
 * a request chose (request-faults.ts), which take their place for that stream only.
 * `--fail-first` answers whole stream requests; the faults that act on a stream's bytes stand
 * in front of each client's connection (faulty-sink.ts), whatever feeds it (the hub or a
 * replay). Each fault says on stderr when it acts.
 */
import { quotedForLog } from "../feeds/feed.js";
import type { StreamSink } from "../feeds/stream-sink.js";
import { defaultFailStatus, type FaultOptions } from "./fault-options.js";
import { FaultySink } from "./faulty-sink.js";
import type { RequestFaults } from "./request-faults.js";

/** Keys of request faults counted at once; the oldest is forgotten past this. */
const maxCountedKeys = 10_000;

/** What the faults do to one stream request. */
export interface StreamFaults {
  /** The status to answer with instead of a stream (fail-first), or undefined. */
  failStatus: number | undefined;
  /** How long the response head is held (latency holds every write). */
  headDelayMs: number;
  /** The faults that act on bytes, in front of `sink`; `sink` itself when none is on. */
  wrap(sink: StreamSink): StreamSink;
  /** The spec the request chose them with; undefined for the server's own. */
  spec?: string;
}

export class Faults {
  readonly #options: FaultOptions;
  readonly #warn: (line: string) => void;
  /** Stream requests answered with --fail-first's status so far. */
  #failed = 0;
  /** Requests seen per request-fault key, oldest first: what fail-first and times count. */
  readonly #seenPerKey = new Map<string, number>();

  constructor(options: FaultOptions, warn: (line: string) => void) {
    this.#options = options;
    this.#warn = warn;
  }

  /** The faults for one stream request: the server's, or the ones the request chose. */
  forStream(peer: string, requested?: RequestFaults): StreamFaults {
    if (requested === undefined) return this.#serverFaults(peer);
    const seen = (this.#seenPerKey.get(requested.key) ?? 0) + 1;
    // Deleted and set again: the key moves to the end, the most recently used.
    this.#seenPerKey.delete(requested.key);
    this.#seenPerKey.set(requested.key, seen);
    if (this.#seenPerKey.size > maxCountedKeys) {
      const oldest = this.#seenPerKey.keys().next().value;
      if (oldest !== undefined) this.#seenPerKey.delete(oldest);
    }
    const options =
      requested.times !== undefined && seen > requested.times ? {} : requested.options;
    const limit = options.failFirst;
    let failStatus: number | undefined;
    if (limit !== undefined && seen <= limit) {
      failStatus = options.failStatus ?? defaultFailStatus;
      this.#warn(
        `fault: fail-first ${limit} (key ${quotedForLog(requested.key)}): answered ${peer} with ${failStatus} (request ${seen} of ${limit})`,
      );
    }
    return { ...this.#streamFaults(options, peer, failStatus), spec: requested.spec };
  }

  #serverFaults(peer: string): StreamFaults {
    const options = this.#options;
    const limit = options.failFirst;
    let failStatus: number | undefined;
    if (limit !== undefined && this.#failed < limit) {
      this.#failed++;
      failStatus = options.failStatus ?? defaultFailStatus;
      this.#warn(
        `fault: --fail-first ${limit}: answered ${peer} with ${failStatus} (request ${this.#failed} of ${limit})`,
      );
    }
    return this.#streamFaults(options, peer, failStatus);
  }

  #streamFaults(options: FaultOptions, peer: string, failStatus: number | undefined): StreamFaults {
    const actsOnBytes =
      options.dropAfter !== undefined ||
      options.stallAfter !== undefined ||
      options.chunkSplit !== undefined ||
      (options.latency ?? 0) > 0;
    const warn = this.#warn;
    return {
      failStatus,
      headDelayMs: options.latency ?? 0,
      wrap: (sink) => (actsOnBytes ? new FaultySink(sink, options, peer, warn) : sink),
    };
  }
}
