/**
 * What `listen` does beyond showing events: the LLM view (`--llm`, or chosen automatically
 * when the first decisive event is an LLM chunk), `--stats`, and the CI assertions (`--expect-event`,
 * `--expect-count`, `--until-event`). A run (src/listen/run.ts) reports events, bytes and
 * reconnects here and asks at the end what to print and whether the expectations failed. The
 * rules are pure modules (llm/assembler, llm/view, stats, expectations); this file holds the
 * live-stats timer and the stderr writes.
 */
import type { Writable } from "node:stream";
import { SseToolError } from "../errors.js";
import type { StreamEvent } from "../sse/decoder.js";
import { chalkFor } from "../terminal/chalk.js";
import { escapeForTerminalLine, escapeJsonForTerminal } from "../terminal/escape.js";
import { ExpectationTracker } from "./expectations.js";
import { LlmStreamAssembler } from "./llm/assembler.js";
import { LlmAutoChoice, llmChoiceMaxBytes, llmChoiceMaxEvents } from "./llm/auto-choice.js";
import { formatLlmFooter } from "./llm/footer.js";
import type { LlmDelta, LlmFormat } from "./llm/types.js";
import { formatLlmWarning, LlmStreamView } from "./llm/view.js";
import type { RunEnd, StopReason } from "./outcome.js";
import { formatStatsBlock, formatStatsLine, StreamStats } from "./stats.js";

export interface ListenExtrasOptions {
  /** true: --llm; false: --no-llm; undefined: automatic (pretty mode only). */
  llm?: boolean;
  /** --llm-stall: gaps between LLM chunks longer than this (ms) are stalls (default 1000). */
  llmStall?: number;
  json?: boolean;
  raw?: boolean;
  stats?: boolean;
  expectEvent?: string[];
  expectCount?: number;
  untilEvent?: string;
  color: boolean;
}

export interface ListenExtrasIo {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}

/** What listen does with one event after the extras saw it. */
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
  released?: StreamEvent[];
}

/** How often the live stats line is redrawn on a terminal. */
const liveStatsIntervalMs = 1000;
/** When stdout shares the terminal, a full stats line only every this many redraws. */
const sharedTerminalEveryTicks = 5;

/** What most events get: shown as usual, nothing else to do. Never mutated. */
const showVerdict: EventVerdict = Object.freeze({ show: true });

export class ListenExtras {
  readonly #options: ListenExtrasOptions;
  readonly #io: ListenExtrasIo;
  readonly #stats: StreamStats | undefined;
  readonly #expectations: ExpectationTracker;
  readonly #startedAtMs: number;
  #assembler: LlmStreamAssembler | undefined;
  #view: LlmStreamView | undefined;
  /** Whether this is an LLM stream is decided (see src/listen/llm/auto-choice.ts). */
  #decided: boolean;
  #choice: LlmAutoChoice<StreamEvent> | undefined;
  /** --llm was given and the stream was found not to be an LLM stream (said once). */
  #llmRefused = false;
  #liveTimer: NodeJS.Timeout | undefined;
  #liveLineShown = false;
  #liveTicks = 0;

  constructor(options: ListenExtrasOptions, io: ListenExtrasIo, startedAtMs: number) {
    this.#options = options;
    this.#io = io;
    this.#startedAtMs = startedAtMs;
    this.#stats = options.stats ? new StreamStats(startedAtMs) : undefined;
    // The LLM view is chosen automatically only in pretty mode, so --json and --raw keep their
    // format; --llm forces it (also with --json), --no-llm forbids it.
    const llmPossible =
      options.llm !== false && !options.raw && (options.llm === true || !options.json);
    this.#decided = !llmPossible;
    if (llmPossible) this.#choice = new LlmAutoChoice(options.llm === true);
    this.#expectations = new ExpectationTracker({
      expectEvents: options.expectEvent,
      expectCount: options.expectCount,
      untilEvent: options.untilEvent,
    });
    if (this.#stats && io.stderr.isTTY) {
      this.#liveTimer = setInterval(() => this.#drawLiveStats(), liveStatsIntervalMs);
      this.#liveTimer.unref();
    }
  }

  /** True when expectations were asked for: their verdict decides the exit code. */
  get expectationsActive(): boolean {
    return this.#expectations.active;
  }

  /** True once the stream was recognised as an LLM stream and the LLM view took over. */
  get llmActive(): boolean {
    return this.#assembler !== undefined;
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
    // shared verdict instead of a clock read, an object and a map update per event (issue 8).
    if (this.#decided && !this.#stats && !this.#assembler && !this.#expectations.active) {
      return showVerdict;
    }
    nowMs ??= Date.now();
    this.#stats?.recordEvent(event.type, nowMs);
    const verdict: EventVerdict = { show: true };
    if (!this.#decided) {
      this.#choose(event, nowMs, shown, verdict);
    } else if (this.#assembler) {
      verdict.show = false;
      this.#render(this.#assembler.push(event, nowMs), verdict);
    }
    if (this.#assembler?.ended) verdict.stop = "llm-end";
    if (this.#expectations.observe(event.type, shown) === "stop" && !verdict.stop) {
      verdict.stop = this.#options.untilEvent === undefined ? "met" : "until-event";
    }
    return verdict;
  }

  /** Stops the live stats timer without printing anything (the stdout reader went away). */
  close(): void {
    clearInterval(this.#liveTimer);
  }

  /**
   * Ends the run: the LLM footer (or, with --json, the final object as stdout text), the stats
   * block on stderr, and an SseToolError("expectation") when an expectation failed.
   */
  finish(
    end: RunEnd,
    nowMs = Date.now(),
  ): { stdoutText?: string; failure?: SseToolError; released?: StreamEvent[] } {
    clearInterval(this.#liveTimer);
    this.#clearLiveLine();
    const result: { stdoutText?: string; failure?: SseToolError; released?: StreamEvent[] } = {};
    if (!this.#decided && this.#choice) {
      // The run ended while still deciding: what was held is shown as events.
      this.#decided = true;
      const held = this.#choice.drain().filter((item) => item.shown);
      if (held.length > 0) result.released = held.map((item) => item.event);
    }
    const summary = this.#assembler?.summary();
    if (summary) {
      if (this.#view) {
        const out = this.#view.finish();
        if (out.stdout) result.stdoutText = out.stdout;
        if (out.stderr) this.#io.stderr.write(out.stderr);
        for (const line of formatLlmFooter(summary)) this.#io.stderr.write(`${line}\n`);
      } else {
        const json = JSON.stringify(summary);
        result.stdoutText = `${this.#io.stdout.isTTY ? escapeJsonForTerminal(json) : json}\n`;
      }
    } else if (this.#options.llm === true && !this.#llmRefused) {
      this.#io.stderr.write("sse-tool: --llm: no LLM chunk format recognised in this stream\n");
    }
    if (this.#stats) {
      for (const line of formatStatsBlock(this.#stats.summary(nowMs))) {
        this.#io.stderr.write(`${escapeForTerminalLine(line)}\n`);
      }
    }
    if (this.#expectations.active && end.kind === "stopped" && end.reason !== "interrupted") {
      const verdict = this.#expectations.evaluate(end.reason);
      if (!verdict.ok) result.failure = new SseToolError("expectation", verdict.message);
    }
    return result;
  }

  /**
   * Offers the event to the bounded choice: held while undecided; on an LLM chunk the LLM view
   * takes over (held events replayed into it); otherwise the held events are released.
   */
  #choose(event: StreamEvent, nowMs: number, shown: boolean, verdict: EventVerdict): void {
    const step = this.#choice!.offer(event, nowMs, shown);
    verdict.show = false;
    if (step.kind === "hold") return;
    this.#decided = true;
    this.#choice = undefined;
    if (step.kind === "not-llm") {
      verdict.released = step.held.filter((item) => item.shown).map((item) => item.event);
      // With --llm only the bound decides against (events of no known shape are held too).
      if (this.#options.llm === true) {
        this.#llmRefused = true;
        this.#io.stderr.write(
          `sse-tool: --llm: no LLM chunk format recognised in the first ${llmChoiceMaxEvents} events (or ${llmChoiceMaxBytes / 1024} KiB); showing events as they are\n`,
        );
      }
      return;
    }
    const assembler = this.#startLlmView(step.format);
    for (const held of step.held) {
      this.#render(assembler.push(held.event, held.atMs), verdict);
      if (assembler.ended) break;
    }
  }

  #startLlmView(format: LlmFormat): LlmStreamAssembler {
    const assembler = new LlmStreamAssembler(this.#startedAtMs, {
      format,
      stallThresholdMs: this.#options.llmStall,
    });
    this.#assembler = assembler;
    if (!this.#options.json) {
      this.#view = new LlmStreamView({
        stderrChalk: chalkFor({
          colorFlag: this.#options.color,
          env: this.#io.env,
          stream: this.#io.stderr,
          standsFor: "stderr",
        }),
        stdoutIsTerminal: this.#io.stdout.isTTY === true,
      });
    }
    return assembler;
  }

  /** Shows deltas: through the view, or (with --json) only the warnings, on stderr. */
  #render(deltas: LlmDelta[], verdict: EventVerdict): void {
    if (this.#view) {
      const out = this.#view.render(deltas);
      if (out.stderr) this.#io.stderr.write(out.stderr);
      if (out.stdout) verdict.stdoutText = (verdict.stdoutText ?? "") + out.stdout;
      return;
    }
    for (const delta of deltas) {
      if (delta.kind === "warning") this.#io.stderr.write(`${formatLlmWarning(delta.message)}\n`);
    }
  }

  /**
   * The live stats line on a terminal stderr: redrawn in place when stdout goes elsewhere;
   * when stdout shares the terminal, a plain line now and then so output is not overwritten.
   */
  #drawLiveStats(): void {
    if (!this.#stats) return;
    const line = `sse-tool: ${formatStatsLine(this.#stats.totals(Date.now()))}`;
    if (this.#io.stdout.isTTY) {
      if (++this.#liveTicks % sharedTerminalEveryTicks === 0) this.#io.stderr.write(`${line}\n`);
    } else {
      this.#io.stderr.write(`\r\x1b[2K${line}`);
      this.#liveLineShown = true;
    }
  }

  #clearLiveLine(): void {
    if (this.#liveLineShown) this.#io.stderr.write("\r\x1b[2K");
    this.#liveLineShown = false;
  }
}
