/**
 * The LLM view while `listen` runs: chosen from the first decisive event (or forced by --llm),
 * then fed every event. Its answer text goes to stdout through listen's sink, its warnings and
 * footer to stderr; the rules it applies are pure (llm/: auto-choice, assembler, view, footer).
 */
import type { Writable } from "node:stream";
import type { StreamEvent } from "../sse/decoder.js";
import { chalkFor } from "../terminal/chalk.js";
import { escapeJsonForTerminal } from "../terminal/escape.js";
import { LlmStreamAssembler } from "./llm/assembler.js";
import {
  type HeldEvent,
  LlmAutoChoice,
  llmChoiceMaxBytes,
  llmChoiceMaxEvents,
} from "./llm/auto-choice.js";
import { formatLlmFooter } from "./llm/footer.js";
import type { LlmDelta, LlmFormat } from "./llm/types.js";
import { formatLlmWarning, LlmStreamView } from "./llm/view.js";

export interface LlmLiveOptions {
  /** true: --llm; false: --no-llm; undefined: automatic (pretty mode only). */
  llm?: boolean;
  /** --llm-stall: gaps between LLM chunks longer than this (ms) are stalls. */
  llmStall?: number;
  json?: boolean;
  raw?: boolean;
  color: boolean;
}

export interface LlmLiveIo {
  stdout: { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}

/** What the view decides for one event: filled in by `take`. */
export interface LlmEventOutcome {
  /** false: the view consumed it (or holds it while deciding). */
  show: boolean;
  /** Answer text for stdout. */
  stdoutText?: string;
  /** Held events to show after all, in order: the stream is not an LLM stream. */
  released?: HeldEvent<StreamEvent>[];
}

export class LlmLiveView {
  readonly #options: LlmLiveOptions;
  readonly #io: LlmLiveIo;
  readonly #startedAtMs: number;
  readonly #timed: boolean;
  #assembler: LlmStreamAssembler | undefined;
  #view: LlmStreamView | undefined;
  /** Whether this is an LLM stream is decided (see auto-choice.ts). */
  #decided: boolean;
  #choice: LlmAutoChoice<StreamEvent> | undefined;
  /** --llm was given and the stream was found not to be an LLM stream (said once). */
  #llmRefused = false;

  /** `timed` false: the input holds no times; the timings are left out. */
  constructor(options: LlmLiveOptions, io: LlmLiveIo, startedAtMs: number, timed = true) {
    this.#timed = timed;
    this.#options = options;
    this.#io = io;
    this.#startedAtMs = startedAtMs;
    // Chosen automatically only in pretty mode, so --json and --raw keep their format; --llm
    // forces it (also with --json), --no-llm forbids it.
    const possible =
      options.llm !== false && !options.raw && (options.llm === true || !options.json);
    this.#decided = !possible;
    if (possible) this.#choice = new LlmAutoChoice(options.llm === true);
  }

  /** Nothing more to do for events: decided, and not an LLM stream. */
  get idle(): boolean {
    return this.#decided && this.#assembler === undefined;
  }

  /** True once the stream was recognised as an LLM stream and this view took over. */
  get active(): boolean {
    return this.#assembler !== undefined;
  }

  /** The LLM stream's end marker was seen. */
  get ended(): boolean {
    return this.#assembler?.ended === true;
  }

  /** One event while deciding or in the LLM view (not called when `idle`). */
  take(event: StreamEvent, nowMs: number, shown: boolean, outcome: LlmEventOutcome): void {
    if (!this.#decided) {
      this.#choose(event, nowMs, shown, outcome);
    } else if (this.#assembler) {
      outcome.show = false;
      this.#render(this.#assembler.push(event, nowMs), outcome);
    }
  }

  /**
   * The run ended: events still held are released; the footer goes to stderr (or, with --json,
   * the summary object to stdout).
   */
  finish(outcome: Omit<LlmEventOutcome, "show">): void {
    if (!this.#decided && this.#choice) {
      this.#decided = true;
      const held = this.#choice.drain().filter((item) => item.shown);
      if (held.length > 0) outcome.released = held;
    }
    const summary = this.#assembler?.summary();
    if (summary) {
      if (this.#view) {
        const out = this.#view.finish();
        if (out.stdout) outcome.stdoutText = out.stdout;
        if (out.stderr) this.#io.stderr.write(out.stderr);
        for (const line of formatLlmFooter(summary, this.#timed)) {
          this.#io.stderr.write(`${line}\n`);
        }
      } else {
        const { timings, ...untimed } = summary;
        const json = JSON.stringify(this.#timed ? summary : untimed);
        outcome.stdoutText = `${this.#io.stdout.isTTY ? escapeJsonForTerminal(json) : json}\n`;
      }
    } else if (this.#options.llm === true && !this.#llmRefused) {
      this.#io.stderr.write("sse-tool: --llm: no LLM chunk format recognised in this stream\n");
    }
  }

  /**
   * Offers the event to the bounded choice: held while undecided; on an LLM chunk the view
   * takes over (held events replayed into it); otherwise the held events are released.
   */
  #choose(event: StreamEvent, nowMs: number, shown: boolean, outcome: LlmEventOutcome): void {
    const step = this.#choice!.offer(event, nowMs, shown);
    outcome.show = false;
    if (step.kind === "hold") return;
    this.#decided = true;
    this.#choice = undefined;
    if (step.kind === "not-llm") {
      outcome.released = step.held.filter((item) => item.shown);
      // With --llm only the bound decides against (events of no known shape are held too).
      if (this.#options.llm === true) {
        this.#llmRefused = true;
        this.#io.stderr.write(
          `sse-tool: --llm: no LLM chunk format recognised in the first ${llmChoiceMaxEvents} events (or ${llmChoiceMaxBytes / 1024} KiB); showing events as they are\n`,
        );
      }
      return;
    }
    const assembler = this.#start(step.format);
    for (const held of step.held) {
      this.#render(assembler.push(held.event, held.atMs), outcome);
      if (assembler.ended) break;
    }
  }

  #start(format: LlmFormat): LlmStreamAssembler {
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
  #render(deltas: LlmDelta[], outcome: LlmEventOutcome): void {
    if (this.#view) {
      const out = this.#view.render(deltas);
      if (out.stderr) this.#io.stderr.write(out.stderr);
      if (out.stdout) outcome.stdoutText = (outcome.stdoutText ?? "") + out.stdout;
      return;
    }
    for (const delta of deltas) {
      if (delta.kind === "warning") this.#io.stderr.write(`${formatLlmWarning(delta.message)}\n`);
    }
  }
}
