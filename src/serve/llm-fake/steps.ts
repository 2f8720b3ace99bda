/**
 * Turns a reply text into the SSE events an LLM provider would stream for it, with pacing.
 * Pure: `serve --llm-fake` sends the steps; tests check them directly.
 *
 * Each provider's builder lists its events and marks the ones that carry a token; the pacing
 * is applied to all providers alike: the opening events at once, the first token after the
 * time-to-first-token, then one token per `tokenDelayMs`, plus any injected stalls, and the
 * closing events right after the last token.
 */
import type { OutgoingEvent } from "../../sse/encoder.js";

import type { LlmFakeProvider } from "./providers.js";

export type { LlmFakeProvider } from "./providers.js";

/** One event to send after waiting `delayMs` since the previous one. */
export interface FakeStreamStep {
  delayMs: number;
  event: OutgoingEvent;
}

/** A pause injected before token number `afterTokens` (0-based: after that many tokens). */
export interface LlmFakeStall {
  afterTokens: number;
  ms: number;
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
  /** Extra pauses at given token positions (for testing spinners and stall reports). */
  stalls?: readonly LlmFakeStall[];
  /** OpenAI chat only: send the usage chunk (as with `stream_options.include_usage`). */
  includeUsage?: boolean;
  /** Unix time in seconds for `created` fields. */
  createdSeconds?: number;
  /** Suffix for the response id, so ids differ between requests. */
  idSuffix?: string;
}

export const defaultFirstTokenDelayMs = 250;
export const defaultTokenDelayMs = 30;

/** An event as a builder lists it: `token` marks the events that carry one token each. */
interface PlannedEvent {
  event: OutgoingEvent;
  token?: boolean;
}

/**
 * Splits text into word-ish tokens as providers do: a word with the whitespace before it, or
 * one punctuation mark. Joining the tokens gives the text back exactly.
 */
export function tokenizeWordish(text: string): string[] {
  return text.match(/\s*[\p{L}\p{N}_']+|\s*[^\s\p{L}\p{N}_']|\s+/gu) ?? [];
}

/** A rough prompt size for the usage block: about four characters per token. */
export function estimateTokens(characters: number): number {
  return Math.max(1, Math.ceil(characters / 4));
}

export function llmFakeSteps(
  text: string,
  provider: LlmFakeProvider,
  options: LlmFakeOptions = {},
): FakeStreamStep[] {
  const tokens = tokenizeWordish(text);
  const context: BuildContext = {
    tokens,
    model: options.model ?? "sse-tool-fake",
    promptTokens: options.promptTokens ?? 0,
    created: options.createdSeconds ?? 0,
    idSuffix: options.idSuffix ?? "",
    includeUsage: options.includeUsage ?? true,
  };
  return pace(builders[provider](context), options);
}

/** Applies the pacing to a provider's planned events. */
function pace(planned: PlannedEvent[], options: LlmFakeOptions): FakeStreamStep[] {
  const firstTokenDelayMs = options.firstTokenDelayMs ?? defaultFirstTokenDelayMs;
  const tokenDelayMs = options.tokenDelayMs ?? defaultTokenDelayMs;
  /** Total stall before token n (n = token count: before the closing events). */
  const stallBefore = new Map<number, number>();
  for (const stall of options.stalls ?? []) {
    stallBefore.set(stall.afterTokens, (stallBefore.get(stall.afterTokens) ?? 0) + stall.ms);
  }
  const tokenCount = planned.filter((item) => item.token).length;
  let tokensSent = 0;
  let closing = false;
  return planned.map(({ event, token }, i): FakeStreamStep => {
    if (token) {
      const base = tokensSent === 0 ? firstTokenDelayMs : tokenDelayMs;
      const delayMs = base + (stallBefore.get(tokensSent) ?? 0);
      tokensSent++;
      return { delayMs, event };
    }
    if (tokenCount === 0) {
      // No tokens: the reply still takes the first-token time, before its first event.
      return { delayMs: i === 0 ? firstTokenDelayMs + (stallBefore.get(0) ?? 0) : 0, event };
    }
    if (tokensSent < tokenCount || closing) return { delayMs: 0, event };
    // The first event after the last token: a stall placed at the end waits here.
    closing = true;
    return { delayMs: stallBefore.get(tokenCount) ?? 0, event };
  });
}

interface BuildContext {
  tokens: string[];
  model: string;
  promptTokens: number;
  created: number;
  idSuffix: string;
  includeUsage: boolean;
}

const builders: Record<LlmFakeProvider, (context: BuildContext) => PlannedEvent[]> = {
  openai: openAiChatEvents,
  "openai-responses": openAiResponsesEvents,
  anthropic: anthropicEvents,
  gemini: geminiEvents,
  "vercel-ai": vercelAiEvents,
};

const json = (value: unknown): string => JSON.stringify(value);

/** OpenAI Chat Completions: role chunk, content chunks, finish chunk, usage chunk, [DONE]. */
function openAiChatEvents(context: BuildContext): PlannedEvent[] {
  const { tokens, model, created } = context;
  const id = `chatcmpl-fake${context.idSuffix}`;
  const chunk = (delta: Record<string, unknown>, finishReason: string | null): OutgoingEvent => ({
    data: json({
      id,
      object: "chat.completion.chunk",
      created,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    }),
  });
  const events: PlannedEvent[] = [{ event: chunk({ role: "assistant", content: "" }, null) }];
  for (const token of tokens) events.push({ event: chunk({ content: token }, null), token: true });
  events.push({ event: chunk({}, "stop") });
  if (context.includeUsage) {
    const usage = {
      prompt_tokens: context.promptTokens,
      completion_tokens: tokens.length,
      total_tokens: context.promptTokens + tokens.length,
    };
    events.push({
      event: {
        data: json({ id, object: "chat.completion.chunk", created, model, choices: [], usage }),
      },
    });
  }
  events.push({ event: { data: "[DONE]" } });
  return events;
}

/** OpenAI Responses: named events, each JSON repeating its type with a sequence number. */
function openAiResponsesEvents(context: BuildContext): PlannedEvent[] {
  const { tokens, model } = context;
  const responseId = `resp_fake${context.idSuffix}`;
  const itemId = `msg_fake${context.idSuffix}`;
  let sequence = 0;
  const named = (type: string, body: Record<string, unknown>): OutgoingEvent => ({
    event: type,
    data: json({ type, sequence_number: sequence++, ...body }),
  });
  const response = (status: string, extra: Record<string, unknown> = {}) => ({
    id: responseId,
    object: "response",
    created_at: context.created,
    status,
    model,
    output: [],
    ...extra,
  });
  const text = tokens.join("");
  const part = (partText: string) => ({ type: "output_text", text: partText, annotations: [] });
  const item = (status: string, content: unknown[]) => ({
    id: itemId,
    type: "message",
    status,
    role: "assistant",
    content,
  });
  const at = { item_id: itemId, output_index: 0, content_index: 0 };
  return [
    { event: named("response.created", { response: response("in_progress") }) },
    { event: named("response.in_progress", { response: response("in_progress") }) },
    {
      event: named("response.output_item.added", {
        output_index: 0,
        item: item("in_progress", []),
      }),
    },
    { event: named("response.content_part.added", { ...at, part: part("") }) },
    ...tokens.map((token) => ({
      event: named("response.output_text.delta", { ...at, delta: token, logprobs: [] }),
      token: true,
    })),
    { event: named("response.output_text.done", { ...at, text, logprobs: [] }) },
    { event: named("response.content_part.done", { ...at, part: part(text) }) },
    {
      event: named("response.output_item.done", {
        output_index: 0,
        item: item("completed", [part(text)]),
      }),
    },
    {
      event: named("response.completed", {
        response: response("completed", {
          output: [item("completed", [part(text)])],
          usage: {
            input_tokens: context.promptTokens,
            output_tokens: tokens.length,
            total_tokens: context.promptTokens + tokens.length,
          },
        }),
      }),
    },
  ];
}

/** Anthropic Messages: each event named, the name repeated as the JSON's `type`. */
function anthropicEvents(context: BuildContext): PlannedEvent[] {
  const { tokens } = context;
  const named = (type: string, body: Record<string, unknown>): OutgoingEvent => ({
    event: type,
    data: json({ type, ...body }),
  });
  return [
    {
      event: named("message_start", {
        message: {
          id: `msg_fake${context.idSuffix}`,
          type: "message",
          role: "assistant",
          model: context.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: context.promptTokens, output_tokens: 1 },
        },
      }),
    },
    {
      event: named("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
    },
    { event: named("ping", {}) },
    ...tokens.map((token) => ({
      event: named("content_block_delta", { index: 0, delta: { type: "text_delta", text: token } }),
      token: true,
    })),
    { event: named("content_block_stop", { index: 0 }) },
    {
      event: named("message_delta", {
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: { output_tokens: tokens.length },
      }),
    },
    { event: named("message_stop", {}) },
  ];
}

/**
 * Gemini: every chunk a whole GenerateContentResponse with cumulative usage; the last token's
 * chunk carries `finishReason` (a reply without tokens is one chunk with empty text).
 */
function geminiEvents(context: BuildContext): PlannedEvent[] {
  const { tokens } = context;
  const responseId = `fake${context.idSuffix}`;
  const chunk = (text: string, sent: number, last: boolean): OutgoingEvent => {
    const candidate: Record<string, unknown> = {
      content: { parts: [{ text }], role: "model" },
      index: 0,
    };
    if (last) candidate.finishReason = "STOP";
    return {
      data: json({
        candidates: [candidate],
        usageMetadata: {
          promptTokenCount: context.promptTokens,
          candidatesTokenCount: sent,
          totalTokenCount: context.promptTokens + sent,
        },
        modelVersion: context.model,
        responseId,
      }),
    };
  };
  if (tokens.length === 0) return [{ event: chunk("", 0, true) }];
  return tokens.map((token, i) => ({
    event: chunk(token, i + 1, i === tokens.length - 1),
    token: true,
  }));
}

/** Vercel AI SDK UI message stream: typed data-only events, then `[DONE]`. */
function vercelAiEvents(context: BuildContext): PlannedEvent[] {
  const textId = `text-fake${context.idSuffix}`;
  const data = (value: Record<string, unknown>): OutgoingEvent => ({ data: json(value) });
  return [
    { event: data({ type: "start", messageId: `msg-fake${context.idSuffix}` }) },
    { event: data({ type: "start-step" }) },
    { event: data({ type: "text-start", id: textId }) },
    ...context.tokens.map((token) => ({
      event: data({ type: "text-delta", id: textId, delta: token }),
      token: true,
    })),
    { event: data({ type: "text-end", id: textId }) },
    { event: data({ type: "finish-step" }) },
    { event: data({ type: "finish" }) },
    { event: { data: "[DONE]" } },
  ];
}
