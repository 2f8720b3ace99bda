/**
 * What `listen` does beyond showing events: the LLM view (`--llm`, or chosen automatically
 * when the first event is an LLM chunk), `--stats`, and the CI assertions (`--expect-event`,
 * `--expect-count`, `--until-event`). A run (src/listen/run.ts) reports events, bytes and
 * reconnects here and asks at the end what to print and whether the expectations failed. The
 * rules are pure modules (llm/assembler, llm/view, stats, expectations); this file holds the
 * live-stats timer and the stderr writes.
 */
import type { Writable } from "node:stream";
import { SseToolError } from "../errors.js";
import type { StreamEvent } from "../sse/decoder.js";
import { chalkFor } from "../terminal/chalk.js";
import { ExpectationTracker } from "./expectations.js";
import { LlmStreamAssembler, recogniseLlmEvent } from "./llm/assembler.js";
import { formatLlmFooter, LlmStreamView } from "./llm/view.js";
import type { RunEnd, StopReason } from "./outcome.js";
import { formatStatsBlock, formatStatsLine, StreamStats } from "./stats.js";

export interface ListenExtrasOptions {
  /** true: --llm; false: --no-llm; undefined: automatic (pretty mode only). */
  llm?: boolean;
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
  /** The LLM decision is made on the first event. */
  #decided = false;
  #liveTimer: NodeJS.Timeout | undefined;
  #liveLineShown = false;
  #liveTicks = 0;

  constructor(options: ListenExtrasOptions, io: ListenExtrasIo, startedAtMs: number) {
    this.#options = options;
    this.#io = io;
    this.#startedAtMs = startedAtMs;
    this.#stats = options.stats ? new StreamStats(startedAtMs) : undefined;
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
    if (!this.#decided) this.#decide(event);
    const verdict: EventVerdict = { show: true };
    if (this.#assembler) {
      verdict.show = false;
      const deltas = this.#assembler.push(event, nowMs);
      if (this.#view) {
        const out = this.#view.render(deltas);
        if (out.stderr) this.#io.stderr.write(out.stderr);
        if (out.stdout) verdict.stdoutText = out.stdout;
      }
      if (this.#assembler.ended) verdict.stop = "llm-end";
    }
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
  finish(end: RunEnd, nowMs = Date.now()): { stdoutText?: string; failure?: SseToolError } {
    clearInterval(this.#liveTimer);
    this.#clearLiveLine();
    const result: { stdoutText?: string; failure?: SseToolError } = {};
    const summary = this.#assembler?.summary();
    if (summary) {
      if (this.#view) {
        const out = this.#view.finish();
        if (out.stdout) result.stdoutText = out.stdout;
        if (out.stderr) this.#io.stderr.write(out.stderr);
        for (const line of formatLlmFooter(summary)) this.#io.stderr.write(`${line}\n`);
      } else {
        result.stdoutText = `${JSON.stringify(summary)}\n`;
      }
    } else if (this.#options.llm === true && this.#decided) {
      this.#io.stderr.write("sse-tool: --llm: no LLM chunk format recognised in this stream\n");
    }
    if (this.#stats) {
      for (const line of formatStatsBlock(this.#stats.summary(nowMs))) {
        this.#io.stderr.write(`${line}\n`);
      }
    }
    if (this.#expectations.active && end.kind === "stopped" && end.reason !== "interrupted") {
      const verdict = this.#expectations.evaluate(end.reason);
      if (!verdict.ok) result.failure = new SseToolError("expectation", verdict.message);
    }
    return result;
  }

  /**
   * The first event decides: an LLM chunk switches to the LLM view (--llm forces it, --no-llm
   * forbids it; automatically only in pretty mode, so --json and --raw keep their format).
   */
  #decide(event: StreamEvent): void {
    this.#decided = true;
    const { llm, json, raw } = this.#options;
    if (llm === false || raw) return;
    if (llm === undefined && json) return;
    if (recogniseLlmEvent(event) === undefined) {
      if (llm === true) {
        this.#io.stderr.write(
          "sse-tool: --llm: the first event is not an LLM chunk; showing events as they are\n",
        );
      }
      return;
    }
    this.#assembler = new LlmStreamAssembler(this.#startedAtMs);
    if (!json) {
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
  }

  /**
   * The live stats line on a terminal stderr: redrawn in place when stdout goes elsewhere;
   * when stdout shares the terminal, a plain line now and then so output is not overwritten.
   */
  #drawLiveStats(): void {
    if (!this.#stats) return;
    const line = `sse-tool: ${formatStatsLine(this.#stats.summary(Date.now()))}`;
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
