/**
 * What a scripted LLM fake answers: its replies, each chosen by what the request says or taken
 * in turn, and each any mix of text, reasoning, tool calls, a refusal, usage, a mid-stream
 * error, an HTTP error, a malformed chunk or split JSON, at a pace of its own. The same shape
 * is the library's `startLlmFake({ replies })` and `serve --llm-fake --script replies.json`
 * (checked by script-check.ts). Pure types.
 */

/** A pause injected before token number `afterTokens` (0-based: after that many tokens). */
export interface LlmFakeStall {
  afterTokens: number;
  ms: number;
}

/** How fast a reply streams. */
export interface LlmFakePace {
  /** Time to the first token, ms. Default 250. */
  ttftMs?: number;
  /** Tokens per second after the first. Default about 33. */
  tokensPerSecond?: number;
  /** Each gap between tokens moves by up to this many ms either way (seeded: see `seed`). */
  jitterMs?: number;
  /** Extra pauses at token positions. */
  stalls?: LlmFakeStall[];
}

/** When a reply applies; every condition given must hold. */
export interface LlmFakeMatch {
  /** The last user message contains this text. */
  lastUser?: string;
  /** The request names this model exactly. */
  model?: string;
  /** The request ends with a tool result whose text contains this ("" for any tool result). */
  toolResult?: string;
}

export interface LlmFakeToolCall {
  name: string;
  /** The arguments object; streamed as JSON text in pieces (Gemini sends it whole). */
  arguments?: Record<string, unknown>;
  /** The call's id; default `call_<n>`. */
  id?: string;
}

/** An HTTP error answered instead of a reply, with the provider's error body. */
export interface LlmFakeHttpError {
  /** 400 to 599: 401, 429, 500, and Anthropic's 529 have the provider's own error names. */
  status: number;
  message?: string;
  /** Sent as `Retry-After` (whole seconds). */
  retryAfterSeconds?: number;
}

export interface LlmFakeReply {
  /** Without `match` a reply is taken in turn; with it, whenever the request matches. */
  match?: LlmFakeMatch;
  /** Reasoning (thinking), streamed before the answer. */
  reasoning?: string;
  text?: string;
  /** The model declines, in the provider's own way (see docs/llm.md). */
  refusal?: string;
  /** One or several tool calls, after the text. */
  toolCalls?: LlmFakeToolCall[];
  /** The counts reported; default: the prompt's size estimated, and the tokens streamed. */
  usage?: { inputTokens?: number; outputTokens?: number };
  /** The stream breaks with the provider's error event after `afterTokens` tokens (default all). */
  error?: { message: string; afterTokens?: number };
  httpError?: LlmFakeHttpError;
  /** A chunk that is not valid JSON, sent after `afterTokens` tokens (default 0). */
  malformed?: { afterTokens?: number };
  /** Every event written in two pieces, cut inside its JSON. */
  splitJson?: boolean;
  /** Answered as one JSON body even when the request asked to stream. */
  whole?: boolean;
  pace?: LlmFakePace;
}

export interface LlmFakeScript {
  replies: LlmFakeReply[];
  /** The pace of every reply that sets none of its own. */
  pace?: LlmFakePace;
  /** Seeds the jitter: the same seed gives the same gaps. Default 1. */
  seed?: number;
}

export const defaultFirstTokenDelayMs = 250;
export const defaultTokenDelayMs = 30;
