/**
 * What `listen` does with each event besides showing it, and what that asks of the run: the
 * LLM view (llm-live-view.ts) may take it, `--stats` (live-stats.ts) counts it, the CI
 * assertions (`--expect-event`, `--expect-count`, `--until-event`: expectations.ts) may end the
 * run. A run (run.ts) reports events, bytes and reconnects here and asks at the end what to
 * print and whether an expectation failed.
 */
import { SseToolError } from "../errors.js";
import type { StreamEvent } from "../sse/decoder.js";
import { ExpectationTracker } from "./expectations.js";
import { LiveStats, type LiveStatsIo } from "./live-stats.js";
import type { HeldEvent } from "./llm/auto-choice.js";
import { type LlmLiveIo, type LlmLiveOptions, LlmLiveView } from "./llm-live-view.js";
import type { RunEnd, StopReason } from "./outcome.js";
import { type RunClock, wallClock } from "./run-clock.js";

export interface EventVerdictOptions extends LlmLiveOptions {
  stats?: boolean;
  expectEvent?: string[];
  expectCount?: number;
  untilEvent?: string;
}

export type EventVerdictIo = LlmLiveIo & LiveStatsIo;

/** What listen does with one event. */
export interface EventVerdict {
  /** false: the LLM view consumed it; listen does not format it. */
  show: boolean;
  /** Answer text for stdout (through listen's sink, which handles back-pressure). */
  stdoutText?: string;
  /** Listening can stop now: the LLM end marker, or the expectations are settled. */
  stop?: Extract<StopReason, "llm-end" | "until-event" | "met">;
  /**
   * Events held back while deciding whether this is an LLM stream, now to be shown as events,
   * in order (this one last, when it is shown). Set only when the stream is found not to be one.
   */
  released?: HeldEvent<StreamEvent>[];
}

/** What most events get: shown as usual, nothing else to do. Never mutated. */
const showVerdict: EventVerdict = Object.freeze({ show: true });

export class EventVerdicts {
  readonly #untilEvent: string | undefined;
  readonly #llm: LlmLiveView;
  readonly #stats: LiveStats | undefined;
  readonly #expectations: ExpectationTracker;
  readonly #clock: RunClock;

  constructor(
    options: EventVerdictOptions,
    io: EventVerdictIo,
    startedAtMs: number,
    clock: RunClock = wallClock,
  ) {
    this.#clock = clock;
    this.#untilEvent = options.untilEvent;
    this.#llm = new LlmLiveView(options, io, startedAtMs, clock.timed);
    this.#stats = options.stats ? new LiveStats(io, startedAtMs, clock.timed) : undefined;
    this.#expectations = new ExpectationTracker({
      expectEvents: options.expectEvent,
      expectCount: options.expectCount,
      untilEvent: options.untilEvent,
    });
  }

  /** True when expectations were asked for: their verdict decides the exit code. */
  get expectationsActive(): boolean {
    return this.#expectations.active;
  }

  /** True once the stream was recognised as an LLM stream and the LLM view took over. */
  get llmActive(): boolean {
    return this.#llm.active;
  }

  onBytes(count: number): void {
    this.#stats?.recordBytes(count);
  }

  onReconnect(): void {
    this.#stats?.recordReconnect();
  }

  /** Each dispatched event; `shown` says whether it passed `-e` (it counts for --expect-count). */
  onEvent(event: StreamEvent, shown: boolean, nowMs?: number): EventVerdict {
    // The usual run (no --stats, not an LLM stream, no --expect-*) has nothing to record: one
    // shared verdict instead of a clock read and an object per event.
    if (this.#llm.idle && !this.#stats && !this.#expectations.active) return showVerdict;
    nowMs ??= this.#clock.now();
    this.#stats?.recordEvent(event.type, nowMs);
    const verdict: EventVerdict = { show: true };
    if (!this.#llm.idle) this.#llm.take(event, nowMs, shown, verdict);
    if (this.#llm.ended) verdict.stop = "llm-end";
    if (this.#expectations.observe(event.type, shown) === "stop" && !verdict.stop) {
      verdict.stop = this.#untilEvent === undefined ? "met" : "until-event";
    }
    return verdict;
  }

  /** Stops the live stats timer without printing anything (the stdout reader went away). */
  close(): void {
    this.#stats?.close();
  }

  /**
   * Ends the run: the LLM footer (or, with --json, the final object as stdout text), the stats
   * block on stderr, and an SseToolError("expectation") when an expectation failed.
   */
  finish(
    end: RunEnd,
    nowMs = this.#clock.now(),
  ): { stdoutText?: string; failure?: SseToolError; released?: HeldEvent<StreamEvent>[] } {
    this.#stats?.endLiveLine();
    const result: {
      stdoutText?: string;
      failure?: SseToolError;
      released?: HeldEvent<StreamEvent>[];
    } = {};
    this.#llm.finish(result);
    this.#stats?.printBlock(nowMs);
    if (this.#expectations.active && end.kind === "stopped" && end.reason !== "interrupted") {
      const verdict = this.#expectations.evaluate(end.reason);
      if (!verdict.ok) result.failure = new SseToolError("expectation", verdict.message);
    }
    return result;
  }
}
