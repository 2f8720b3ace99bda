/**
 * Turns a reply text into the SSE events an LLM provider would stream for it, with pacing.
 * Pure: `serve --llm-fake` sends the steps; tests check them directly.
 */
import type { OutgoingEvent } from "../../sse/encoder.js";

export type LlmFakeProvider = "openai" | "anthropic";

/** One event to send after waiting `delayMs` since the previous one. */
export interface FakeStreamStep {
  delayMs: number;
  event: OutgoingEvent;
}

export interface LlmFakeOptions {
  /** Model name echoed in the chunks. */
  model?: string;
  /** Prompt size reported in the usage block. */
  promptTokens?: number;
  /** Pause before the first token (the model "thinking"). Default 250 ms. */
  firstTokenDelayMs?: number;
  /** Pause between tokens. Default 30 ms (about 33 tokens/s, a typical hosted model). */
  tokenDelayMs?: number;
  /** OpenAI only: send the usage chunk (as with `stream_options.include_usage`). Default true. */
  includeUsage?: boolean;
  /** Unix time in seconds for OpenAI's `created`. */
  createdSeconds?: number;
  /** Suffix for the response id, so ids differ between requests. */
  idSuffix?: string;
}

/**
 * Splits text into word-ish tokens as providers do: a word with the whitespace before it, or
 * one punctuation mark. Joining the tokens gives the text back exactly.
 */
export function tokenizeWordish(text: string): string[] {
  return text.match(/\s*[\p{L}\p{N}_']+|\s*[^\s\p{L}\p{N}_']|\s+/gu) ?? [];
}

/** A rough prompt size for the usage block: about four characters per token. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export function llmFakeSteps(
  text: string,
  provider: LlmFakeProvider,
  options: LlmFakeOptions = {},
): FakeStreamStep[] {
  return provider === "openai"
    ? openAiChatSteps(text, options)
    : anthropicMessagesSteps(text, options);
}

function openAiChatSteps(text: string, options: LlmFakeOptions): FakeStreamStep[] {
  const tokens = tokenizeWordish(text);
  const model = options.model ?? "sse-tool-fake";
  const id = `chatcmpl-fake${options.idSuffix ?? ""}`;
  const created = options.createdSeconds ?? 0;
  const tokenDelayMs = options.tokenDelayMs ?? 30;
  const chunk = (
    delta: Record<string, unknown>,
    finishReason: string | null,
  ): FakeStreamStep["event"] => ({
    data: JSON.stringify({
      id,
      object: "chat.completion.chunk",
      created,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    }),
  });
  const steps: FakeStreamStep[] = [
    {
      delayMs: options.firstTokenDelayMs ?? 250,
      event: chunk({ role: "assistant", content: "" }, null),
    },
  ];
  tokens.forEach((token, i) => {
    steps.push({ delayMs: i === 0 ? 0 : tokenDelayMs, event: chunk({ content: token }, null) });
  });
  steps.push({ delayMs: tokenDelayMs, event: chunk({}, "stop") });
  if (options.includeUsage ?? true) {
    const promptTokens = options.promptTokens ?? 0;
    steps.push({
      delayMs: 0,
      event: {
        data: JSON.stringify({
          id,
          object: "chat.completion.chunk",
          created,
          model,
          choices: [],
          usage: {
            prompt_tokens: promptTokens,
            completion_tokens: tokens.length,
            total_tokens: promptTokens + tokens.length,
          },
        }),
      },
    });
  }
  steps.push({ delayMs: 0, event: { data: "[DONE]" } });
  return steps;
}

function anthropicMessagesSteps(text: string, options: LlmFakeOptions): FakeStreamStep[] {
  const tokens = tokenizeWordish(text);
  const tokenDelayMs = options.tokenDelayMs ?? 30;
  const promptTokens = options.promptTokens ?? 0;
  // Anthropic names each event and repeats the name as the JSON's `type`.
  const step = (delayMs: number, type: string, body: Record<string, unknown>): FakeStreamStep => ({
    delayMs,
    event: { event: type, data: JSON.stringify({ type, ...body }) },
  });
  return [
    step(options.firstTokenDelayMs ?? 250, "message_start", {
      message: {
        id: `msg_fake${options.idSuffix ?? ""}`,
        type: "message",
        role: "assistant",
        model: options.model ?? "sse-tool-fake",
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: promptTokens, output_tokens: 1 },
      },
    }),
    step(0, "content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
    step(0, "ping", {}),
    ...tokens.map((token, i) =>
      step(i === 0 ? 0 : tokenDelayMs, "content_block_delta", {
        index: 0,
        delta: { type: "text_delta", text: token },
      }),
    ),
    step(tokenDelayMs, "content_block_stop", { index: 0 }),
    step(0, "message_delta", {
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: tokens.length },
    }),
    step(0, "message_stop", {}),
  ];
}
