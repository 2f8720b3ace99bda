/**
 * The shapes `listen --llm` works with, shared by the provider readers, the assembler, the
 * timings and the view. Pure types plus the formats' display names.
 */

/** The stream formats `--llm` understands, one per provider family. */
export type LlmFormat =
  | "openai-chat"
  | "openai-completions"
  | "openai-responses"
  | "anthropic"
  | "gemini"
  | "cohere"
  | "vercel-ai";

/** Human names for the formats, as shown in the footer. */
export const llmFormatNames: Record<LlmFormat, string> = {
  "openai-chat": "OpenAI chat completions",
  "openai-completions": "OpenAI completions (legacy)",
  "openai-responses": "OpenAI responses",
  anthropic: "Anthropic messages",
  gemini: "Google Gemini",
  cohere: "Cohere chat v2",
  "vercel-ai": "Vercel AI SDK UI message stream",
};

/** Token counts normalised across providers; `raw` keeps the provider's block, bounded. */
export interface LlmUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  /** The provider's usage block as sent, cut to a few levels and keys (see boundedCopy). */
  raw: Record<string, unknown>;
}

/** Where in the reply a piece of output belongs. */
export type LlmSection = "text" | "reasoning" | "refusal" | "tool";

/** One piece of assembled output, in arrival order. */
export type LlmDelta =
  /** Answer text, to print as it comes. */
  | { kind: "text"; text: string }
  /** Reasoning / thinking text (shown apart, dimmed). */
  | { kind: "reasoning"; text: string }
  /** The model declined: refusal text (OpenAI `delta.refusal`, `response.refusal.delta`). */
  | { kind: "refusal"; text: string }
  /** A tool (function) call begins; `index` tells parallel calls apart. */
  | { kind: "tool-start"; index: number; name: string }
  /** A piece of a tool call's JSON arguments. */
  | { kind: "tool-args"; index: number; text: string }
  /** The usage block (may come more than once; the last one is complete). */
  | { kind: "usage"; usage: LlmUsage }
  /** Why the reply stopped, as the provider names it (finish_reason, stop_reason, status). */
  | { kind: "stop"; reason: string }
  /** The provider blocked the prompt or cut the answer (safety, content filter). */
  | { kind: "blocked"; reason: string }
  /** The provider reported an error inside the stream. */
  | { kind: "error"; message: string }
  /** Something in a known format this view cannot show (said once per kind). */
  | { kind: "warning"; message: string }
  /** The end marker: nothing more belongs to this reply. */
  | { kind: "end" };

/** Reads one provider family's events; keeps whatever state the family needs between them. */
export interface LlmFamilyReader {
  read(event: { type: string; data: string }): LlmDelta[];
}

export interface LlmToolCall {
  index: number;
  name: string;
  arguments: string;
}

/** A gap between chunks longer than the stall threshold, and where in the reply it fell. */
export interface LlmStall {
  /** When the silence began (the chunk before it), in ms from the request start. */
  startMs: number;
  /** How long nothing came. */
  gapMs: number;
  /** Characters of answer text received before the silence. */
  answerChars: number;
  /** What was streaming when it stopped: answer text, reasoning, refusal or a tool call. */
  section: LlmSection;
  /** The last few characters of answer text before the silence (to find the spot). */
  before: string;
}

/** Inter-chunk gaps (between chunks that carried output), from a bounded histogram. */
export interface LlmGapStats {
  count: number;
  /** Median gap (within 1 % of the exact value; exact when all gaps are equal). */
  p50Ms: number;
  p95Ms: number;
  /** Exact. */
  maxMs: number;
}

/** Timings in milliseconds from the request start given to the assembler. */
export interface LlmTimings {
  /** Time to the first text, reasoning, refusal or tool-argument delta. */
  firstTokenMs?: number;
  /** Time to the end marker, or to the last event seen when the stream had none. */
  totalMs: number;
  /** Events that carried a text, reasoning, refusal or tool delta. */
  chunks: number;
  /** Chunks per second between the first token and the end; absent when that span is 0. */
  chunksPerSecond?: number;
  /** Output tokens (from the reported usage) per second over the same span. */
  outputTokensPerSecond?: number;
  /** Gaps between chunks; absent with fewer than two chunks. */
  gaps?: LlmGapStats;
  /** Gaps over `thresholdMs`: how many, and the first few with where they happened. */
  stalls: { thresholdMs: number; count: number; list: LlmStall[] };
}

/** The final result, as `listen --llm --json` prints it. */
export interface LlmSummary {
  format: LlmFormat;
  text: string;
  reasoning: string;
  /** Refusal text, when the model declined ("" otherwise). */
  refusal: string;
  toolCalls: LlmToolCall[];
  usage?: LlmUsage;
  /** finish_reason / stop_reason / response status, when the stream names one. */
  stopReason?: string;
  /** Set when the provider blocked the prompt or cut the answer: its reason. */
  blocked?: string;
  /** True when the end marker arrived (false: the stream stopped before it). */
  complete: boolean;
  /** Provider errors carried in the stream (the first few). */
  errors: string[];
  /** What this view could not read or show; a reply with warnings is not a clean success. */
  warnings: string[];
  timings: LlmTimings;
}
