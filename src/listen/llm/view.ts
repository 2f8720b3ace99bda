/**
 * The `listen --llm` view: the assembled answer on stdout as it streams, reasoning and tool
 * calls apart on stderr (dimmed), and a footer with timings and usage on stderr. Pure: deltas
 * in, text for each stream out.
 *
 * stdout carries only the answer text, so `listen --llm URL > answer.txt` saves exactly it.
 */
import type { ChalkInstance } from "chalk";
import { escapeForTerminal, escapeForTerminalLine } from "../../terminal/escape.js";
import { formatMs } from "../../terminal/units.js";
import { type LlmDelta, type LlmSummary, llmFormatNames } from "./assembler.js";

export interface LlmViewOutput {
  stdout: string;
  stderr: string;
}

export interface LlmViewOptions {
  /** Colours for stderr (dim reasoning and tool calls). */
  stderrChalk: ChalkInstance;
  /** stdout is a terminal: escape control characters in the answer text. */
  stdoutIsTerminal: boolean;
}

type Section = "none" | "text" | "reasoning" | "tool";

export class LlmStreamView {
  readonly #options: LlmViewOptions;
  #section: Section = "none";
  /** The last character written in the current section ended a line. */
  #atLineStart = true;
  #toolIndex = -1;

  constructor(options: LlmViewOptions) {
    this.#options = options;
  }

  render(deltas: readonly LlmDelta[]): LlmViewOutput {
    const out: LlmViewOutput = { stdout: "", stderr: "" };
    const dim = this.#options.stderrChalk.dim;
    for (const delta of deltas) {
      switch (delta.kind) {
        case "text": {
          this.#enter("text", out);
          out.stdout += this.#options.stdoutIsTerminal ? escapeForTerminal(delta.text) : delta.text;
          this.#atLineStart = delta.text.endsWith("\n");
          break;
        }
        case "reasoning": {
          if (this.#enter("reasoning", out)) out.stderr += dim("reasoning: ");
          out.stderr += dim(escapeForTerminal(delta.text));
          this.#atLineStart = delta.text.endsWith("\n");
          break;
        }
        case "tool-start": {
          this.#enter("tool", out, true);
          this.#toolIndex = delta.index;
          out.stderr += dim(`tool call ${escapeForTerminalLine(delta.name)}: `);
          this.#atLineStart = false;
          break;
        }
        case "tool-args": {
          if (this.#enter("tool", out) || delta.index !== this.#toolIndex) {
            out.stderr += dim(`tool call #${delta.index}: `);
            this.#toolIndex = delta.index;
          }
          out.stderr += dim(escapeForTerminal(delta.text));
          this.#atLineStart = delta.text.endsWith("\n");
          break;
        }
        default:
          break;
      }
    }
    return out;
  }

  /**
   * Ends the live output: a line break on stderr if the last section left a line open (on
   * stdout only when it is a terminal, so saved answers stay exact).
   */
  finish(): LlmViewOutput {
    const out: LlmViewOutput = { stdout: "", stderr: "" };
    if (!this.#atLineStart) {
      if (this.#section === "text" && this.#options.stdoutIsTerminal) out.stdout = "\n";
      else out.stderr = "\n";
    }
    this.#section = "none";
    this.#atLineStart = true;
    return out;
  }

  /**
   * Switches section; a line break (on stderr, so stdout stays the exact answer) separates
   * sections. Returns true when the section changed (or `always`), i.e. a label is due.
   */
  #enter(section: Section, out: LlmViewOutput, always = false): boolean {
    if (this.#section === section && !always) return false;
    if (!this.#atLineStart || (this.#section !== "none" && this.#section !== section)) {
      out.stderr += "\n";
    }
    this.#section = section;
    this.#atLineStart = true;
    return true;
  }
}

/** The footer lines (stderr) after an LLM stream. */
export function formatLlmFooter(summary: LlmSummary): string[] {
  const { timings } = summary;
  const parts = [llmFormatNames[summary.format]];
  if (timings.firstTokenMs !== undefined)
    parts.push(`first token ${formatMs(timings.firstTokenMs)}`);
  parts.push(`total ${formatMs(timings.totalMs)}`, `${timings.chunks} chunks`);
  if (timings.chunksPerSecond !== undefined) {
    parts.push(`${timings.chunksPerSecond.toFixed(1)} chunks/s`);
  }
  const lines = [`llm: ${parts.join(" · ")}`];
  const usageParts: string[] = [];
  const usage = summary.usage;
  if (usage) {
    if (usage.inputTokens !== undefined) usageParts.push(`${usage.inputTokens} in`);
    if (usage.outputTokens !== undefined) usageParts.push(`${usage.outputTokens} out`);
    if (usage.totalTokens !== undefined) usageParts.push(`${usage.totalTokens} total`);
  }
  const tail: string[] = [];
  if (usageParts.length > 0) tail.push(`usage: ${usageParts.join(", ")} tokens`);
  if (summary.stopReason !== undefined) {
    tail.push(`stop: ${escapeForTerminalLine(summary.stopReason)}`);
  }
  if (summary.toolCalls.length > 0) tail.push(`${summary.toolCalls.length} tool call(s)`);
  if (tail.length > 0) lines.push(`llm: ${tail.join(" · ")}`);
  for (const error of summary.errors)
    lines.push(`llm: provider error: ${escapeForTerminalLine(error)}`);
  if (!summary.complete) lines.push("llm: the stream stopped before its end marker");
  return lines;
}
