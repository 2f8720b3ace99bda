/**
 * The `listen --llm` view while the reply streams: the assembled answer on stdout, reasoning
 * and tool calls apart on stderr (dimmed), a refusal, a block and warnings on stderr as they
 * come. Pure: deltas in, text for each stream out. The footer is src/listen/llm/footer.ts.
 *
 * stdout carries only the answer text, so `listen --llm URL > answer.txt` saves exactly it.
 */
import type { ChalkInstance } from "chalk";
import { escapeForTerminal, escapeForTerminalLine } from "../../terminal/escape.js";
import type { LlmDelta } from "./types.js";

/** A warning line for stderr (the message names server-sent types and keys: escaped). */
export function formatLlmWarning(message: string): string {
  return `llm: warning: ${escapeForTerminalLine(message)}`;
}

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

type Section = "none" | "text" | "reasoning" | "refusal" | "tool";

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
        case "refusal": {
          if (this.#enter("refusal", out))
            out.stderr += this.#options.stderrChalk.yellow("refusal: ");
          out.stderr += escapeForTerminal(delta.text);
          this.#atLineStart = delta.text.endsWith("\n");
          break;
        }
        case "blocked":
          this.#line(
            out,
            this.#options.stderrChalk.yellow(
              `llm: blocked by the provider: ${escapeForTerminalLine(delta.reason)}`,
            ),
          );
          break;
        case "warning":
          this.#line(out, this.#options.stderrChalk.yellow(formatLlmWarning(delta.message)));
          break;
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
   * Ends the live output: a line break on stderr if the last section left a line open (real
   * replies rarely end in one), so the footer starts on a line of its own while stdout stays
   * exactly the answer.
   */
  finish(): LlmViewOutput {
    const out: LlmViewOutput = { stdout: "", stderr: "" };
    if (!this.#atLineStart) out.stderr = "\n";
    this.#section = "none";
    this.#atLineStart = true;
    return out;
  }

  /** A whole line on stderr, after closing whatever section was open. */
  #line(out: LlmViewOutput, line: string): void {
    if (!this.#atLineStart || this.#section !== "none") out.stderr += "\n";
    out.stderr += `${line}\n`;
    this.#section = "none";
    this.#atLineStart = true;
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
