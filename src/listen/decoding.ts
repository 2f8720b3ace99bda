/**
 * Reads one response body of a `listen` run: the bytes go to the raw output and the WHATWG
 * decoder (src/sse/decoder.ts); each event passes the -e filter, the event verdicts (LLM
 * view, --stats, --expect-*) and the output. `-n` and the verdicts end the run. Decode
 * problems (an event over --max-event-size, invalid UTF-8, unknown fields) are told on stderr
 * and the stream goes on
 * (decode-problems.ts). The decoder (and its last event ID) lives as long as the run:
 * reconnections resume it.
 */
import { discardBody, type HttpResponse } from "../http/client.js";
import { describeNetworkError } from "../http/network-error.js";
import { EventStreamDecoder, type StreamEvent } from "../sse/decoder.js";
import type { ReconnectPolicy } from "../sse/reconnect-policy.js";
import type { ListenCliOptions } from "./cli.js";
import { DecodeProblemTally } from "./decode-problems.js";
import type { EventVerdicts } from "./event-verdicts.js";
import type { StreamSource } from "./io.js";
import type { EventWriter } from "./output/event-writer.js";
import type { StopSwitch } from "./stop-switch.js";
import type { ListenTap } from "./tap.js";

/** How a body read ended. */
export type BodyEnd =
  | { kind: "ended" }
  | { kind: "stopped" }
  | { kind: "dropped"; reason: string; peer?: string; connected?: boolean };

export interface DecodingParts {
  writer: EventWriter;
  verdicts: EventVerdicts;
  policy: ReconnectPolicy;
  stop: StopSwitch;
  /** Set when the run is one of several streams. */
  source: StreamSource | undefined;
  /** A status line on stderr. */
  say: (line: string) => void;
  /** Told each chunk read and each event shown (src/listen/tap.ts). */
  tap: ListenTap | undefined;
}

export class StreamDecoding {
  /** Events dispatched by the decoder. */
  events = 0;
  /** Events that passed -e and were shown. */
  shownEvents = 0;
  /** Body bytes read, over every connection. */
  bytes = 0;
  readonly #options: ListenCliOptions;
  readonly #writer: EventWriter;
  readonly #verdicts: EventVerdicts;
  readonly #policy: ReconnectPolicy;
  readonly #stop: StopSwitch;
  readonly #source: StreamSource | undefined;
  readonly #say: (line: string) => void;
  readonly #tap: ListenTap | undefined;
  readonly #decoder: EventStreamDecoder;
  readonly #eventFilter: Set<string> | undefined;
  readonly #raw: boolean;
  /** Decode problems, told on stderr as they come and tallied for the end of the run. */
  readonly problems: DecodeProblemTally;

  constructor(options: ListenCliOptions, parts: DecodingParts) {
    this.#options = options;
    // Fields, not one parts object: #onEvent runs for every event.
    this.#writer = parts.writer;
    this.#verdicts = parts.verdicts;
    this.#policy = parts.policy;
    this.#stop = parts.stop;
    this.#source = parts.source;
    this.#say = parts.say;
    this.#tap = parts.tap;
    this.#eventFilter = options.event ? new Set(options.event) : undefined;
    this.#raw = options.raw === true;
    this.problems = new DecodeProblemTally(options.verbose === true);
    this.#decoder = new EventStreamDecoder(
      {
        onEvent: this.#onEvent,
        onRetry: this.#onRetry,
        onComment: options.comments && !options.raw ? this.#onComment : undefined,
        onProblem: (problem) => {
          const line = this.problems.record(problem, this.bytes);
          if (line !== undefined) this.#say(line);
        },
      },
      { maxEventSize: options.maxEventSize, lastEventId: options.lastEventId ?? "" },
    );
  }

  /** The last event ID, sent as Last-Event-ID when reconnecting. */
  get lastEventId(): string {
    return this.#decoder.lastEventId;
  }

  /** Reads the body to its end, or until the run stops; throws on an event too large. */
  async read(response: HttpResponse): Promise<BodyEnd> {
    const stop = this.#stop;
    const destroyOnStop = () => discardBody(response.body);
    stop.signal.addEventListener("abort", destroyOnStop);
    this.startBody();
    try {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        const flushed = this.takeChunk(chunk);
        if (flushed !== undefined) await flushed;
        if (stop.reason) break;
      }
    } catch (error) {
      if (stop.reason) return { kind: "stopped" };
      this.endBody();
      return { kind: "dropped", reason: describeNetworkError(error) };
    } finally {
      stop.signal.removeEventListener("abort", destroyOnStop);
      discardBody(response.body);
    }
    if (stop.reason) return { kind: "stopped" };
    this.endBody();
    return { kind: "ended" };
  }

  /** A body begins (a connection, or a capture read offline). */
  startBody(): void {
    this.#decoder.startStream();
  }

  /**
   * One chunk of body bytes: counted, written raw or decoded. Returns the wait for stdout when
   * it has text pending (none usually: no promise per chunk on the hot path).
   */
  takeChunk(chunk: Buffer): Promise<void> | undefined {
    const writer = this.#writer;
    this.#stop.bytesArrived();
    this.bytes += chunk.length;
    this.#tap?.chunk?.(chunk);
    this.#verdicts.onBytes(chunk.length);
    writer.startChunk();
    if (this.#raw) writer.bytes(chunk);
    this.#decoder.feed(chunk);
    return writer.hasPending ? writer.flush(this.#stop.signal) : undefined;
  }

  /** §9.2.6: an unfinished block at the end of a body is discarded, never shown. */
  endBody(): void {
    this.#decoder.endStream();
  }

  readonly #onEvent = (event: StreamEvent): void => {
    if (this.#stop.reason) return;
    this.events++;
    this.#policy.eventReceived();
    const shown = !this.#eventFilter || this.#eventFilter.has(event.type);
    // The LLM view, stats and expectations see every event; the LLM view may consume it.
    const extra = this.#verdicts.onEvent(event, shown);
    if (extra.stdoutText) this.#writer.text(extra.stdoutText);
    // Events held back while deciding whether this is an LLM stream, shown now, in order.
    for (const held of extra.released ?? []) this.#writer.event(held.event, held.atMs);
    if (shown) {
      this.shownEvents++;
      // extra.show false: the LLM view showed it, or it is held or among the released.
      if (extra.show) this.#writer.event(event);
      this.#tap?.event?.(event);
    }
    if (extra.stop) this.#stop.stop(extra.stop);
    const maxEvents = this.#options.maxEvents;
    // With several streams -n counts over all of them (several-urls stops the others).
    const shownSoFar = shown ? (this.#source?.countShownEvent() ?? this.shownEvents) : 0;
    if (shown && maxEvents !== undefined && shownSoFar >= maxEvents) this.#stop.stop("max-events");
  };

  readonly #onComment = (text: string): void => {
    if (this.#stop.reason) return;
    this.#writer.comment(text);
  };

  readonly #onRetry = (ms: number): void => {
    const before = this.#policy.reconnectionTimeMs;
    const inEffect = this.#policy.setServerRetry(ms);
    // Servers often repeat retry: with every event; say it only when it changes.
    if (this.#options.verbose && inEffect !== before) {
      this.#say(
        inEffect === ms
          ? `* server set the reconnection time to ${ms} ms`
          : `* server asked for retry: ${ms} ms; capped at ${inEffect} ms`,
      );
    }
  };
}
