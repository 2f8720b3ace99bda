/**
 * Assembles an LLM token stream carried over SSE into one reply. Pure: decoded events and their
 * receive times in, deltas and a summary out.
 *
 * Recognition is src/listen/llm/recognise.ts; each provider family's reader is its own file
 * (openai-chat, openai-responses, anthropic, gemini, cohere, vercel-ai); the timings are
 * src/listen/llm/timing.ts. This file keeps the reply: text, reasoning, refusal, tool calls,
 * usage, stop reason, errors, warnings, and whether the end marker came.
 */
import { AnthropicReader } from "./anthropic.js";
import { CohereReader } from "./cohere.js";
import { GeminiReader } from "./gemini.js";
import { shortCopy } from "./json-fields.js";
import { OpenAiChatReader } from "./openai-chat.js";
import { OpenAiResponsesReader } from "./openai-responses.js";
import { recogniseLlmEvent } from "./recognise.js";
import { LlmTimingRecorder } from "./timing.js";
import type {
  LlmDelta,
  LlmFamilyReader,
  LlmFormat,
  LlmSection,
  LlmSummary,
  LlmTimings,
  LlmToolCall,
  LlmUsage,
} from "./types.js";
import { VercelAiReader } from "./vercel-ai.js";

export { classifyLlmEvent, type LlmEventClass, recogniseLlmEvent } from "./recognise.js";
export type {
  LlmDelta,
  LlmFormat,
  LlmSummary,
  LlmTimings,
  LlmToolCall,
  LlmUsage,
} from "./types.js";
export { llmFormatNames } from "./types.js";

/** Errors and warnings kept (a hostile stream could send millions; the rest are counted). */
const maxNotes = 20;

export interface LlmAssemblerOptions {
  /** The format, when already known; otherwise recognised from the first decisive event. */
  format?: LlmFormat;
  /** Gaps between chunks longer than this are stalls (default 1000 ms). */
  stallThresholdMs?: number;
}

function readerFor(format: LlmFormat): LlmFamilyReader {
  switch (format) {
    case "openai-chat":
    case "openai-completions":
      return new OpenAiChatReader();
    case "openai-responses":
      return new OpenAiResponsesReader();
    case "anthropic":
      return new AnthropicReader();
    case "gemini":
      return new GeminiReader();
    case "cohere":
      return new CohereReader();
    case "vercel-ai":
      return new VercelAiReader();
  }
}

/**
 * Feeds decoded events in arrival order; yields deltas and keeps the assembled reply.
 * Without a format it recognises one from the first decisive event; events before that
 * yield nothing. A warning delta is yielded once per distinct warning.
 */
export class LlmStreamAssembler {
  format: LlmFormat | undefined;
  text = "";
  reasoning = "";
  refusal = "";
  readonly #toolCalls = new Map<number, LlmToolCall>();
  usage: LlmUsage | undefined;
  stopReason: string | undefined;
  blocked: string | undefined;
  ended = false;
  readonly errors: string[] = [];
  readonly warnings: string[] = [];

  readonly #timing: LlmTimingRecorder;
  #reader: LlmFamilyReader | undefined;
  #moreErrors = 0;
  #moreWarnings = 0;
  /** What the last output delta was: where a stall after it is placed. */
  #section: LlmSection = "text";

  /** @param startedAtMs when the request was sent, on the same clock as `push`'s times. */
  constructor(startedAtMs: number, options: LlmAssemblerOptions = {}) {
    this.#timing = new LlmTimingRecorder(startedAtMs, options.stallThresholdMs);
    this.format = options.format;
    if (this.format) this.#reader = readerFor(this.format);
  }

  get toolCalls(): LlmToolCall[] {
    return [...this.#toolCalls.values()];
  }

  push(event: { type: string; data: string }, atMs: number): LlmDelta[] {
    if (this.ended) return [];
    if (!this.#reader) {
      this.format = recogniseLlmEvent(event);
      if (!this.format) return [];
      this.#reader = readerFor(this.format);
    }
    this.#timing.event(atMs);
    const shown: LlmDelta[] = [];
    let carriesOutput = false;
    for (const delta of this.#reader.read(event)) {
      if (this.#apply(delta, atMs)) shown.push(delta);
      if (
        delta.kind === "text" ||
        delta.kind === "reasoning" ||
        delta.kind === "refusal" ||
        delta.kind === "tool-args"
      ) {
        carriesOutput = true;
      }
    }
    if (carriesOutput) this.#timing.chunk(atMs, this.#section, this.text);
    if (this.ended) this.#noteEmptyReply(shown);
    return shown;
  }

  timings(): LlmTimings {
    return this.#timing.timings(this.usage?.outputTokens);
  }

  /** The result so far; undefined while no format was recognised. */
  summary(): LlmSummary | undefined {
    if (this.format === undefined) return undefined;
    const summary: LlmSummary = {
      format: this.format,
      text: this.text,
      reasoning: this.reasoning,
      refusal: this.refusal,
      toolCalls: this.toolCalls.map((call) => ({ ...call })),
      complete: this.ended,
      errors: [...this.errors],
      warnings: [...this.warnings],
      timings: this.timings(),
    };
    if (this.#moreErrors > 0) summary.errors.push(`… and ${this.#moreErrors} more errors`);
    if (this.#moreWarnings > 0) summary.warnings.push(`… and ${this.#moreWarnings} more warnings`);
    if (this.usage) summary.usage = this.usage;
    if (this.stopReason !== undefined) summary.stopReason = this.stopReason;
    if (this.blocked !== undefined) summary.blocked = this.blocked;
    return summary;
  }

  /** Applies one delta to the reply; false when it is not to be passed on (a repeated warning). */
  #apply(delta: LlmDelta, atMs: number): boolean {
    switch (delta.kind) {
      case "text":
        this.text += delta.text;
        this.#section = "text";
        return true;
      case "reasoning":
        this.reasoning += delta.text;
        this.#section = "reasoning";
        return true;
      case "refusal":
        this.refusal += delta.text;
        this.#section = "refusal";
        return true;
      case "tool-start":
        if (!this.#toolCalls.has(delta.index)) {
          this.#toolCalls.set(delta.index, {
            index: delta.index,
            name: shortCopy(delta.name, 200),
            arguments: "",
          });
        }
        this.#section = "tool";
        return true;
      case "tool-args": {
        const call = this.#toolCalls.get(delta.index);
        if (call) call.arguments += delta.text;
        this.#section = "tool";
        return true;
      }
      case "usage":
        this.usage = delta.usage;
        return true;
      case "stop":
        this.stopReason = shortCopy(delta.reason, 200);
        return true;
      case "blocked":
        this.blocked = shortCopy(delta.reason, 200);
        return true;
      case "error":
        if (this.errors.length < maxNotes) this.errors.push(delta.message);
        else this.#moreErrors++;
        return true;
      case "warning":
        return this.#warn(delta.message);
      case "end":
        this.ended = true;
        this.#timing.end(atMs);
        return true;
    }
  }

  #warn(message: string): boolean {
    const text = shortCopy(message, 200);
    if (this.warnings.includes(text)) return false;
    if (this.warnings.length >= maxNotes) {
      this.#moreWarnings++;
      return false;
    }
    this.warnings.push(text);
    return true;
  }

  /**
   * A reply that ended with nothing in it (no text, reasoning, refusal, tool call, error or
   * block) must not look like a success: it gets a warning.
   */
  #noteEmptyReply(shown: LlmDelta[]): void {
    const empty =
      this.text === "" &&
      this.reasoning === "" &&
      this.refusal === "" &&
      this.#toolCalls.size === 0 &&
      this.errors.length === 0 &&
      this.blocked === undefined;
    const message = "the reply ended with nothing in it";
    if (empty && this.#warn(message)) shown.push({ kind: "warning", message });
  }
}
