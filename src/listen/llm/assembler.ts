/**
 * Recognises and assembles LLM token streams carried over SSE. Pure: decoded events and their
 * receive times in, deltas and a summary out.
 *
 * Three wire formats are understood:
 * - OpenAI Chat Completions: `data: {"object":"chat.completion.chunk","choices":[{"delta":…}]}`
 *   per chunk, an optional usage chunk (`choices: []`, `usage`), then `data: [DONE]`.
 * - OpenAI Responses API: `event: response.output_text.delta` etc., the JSON's `type` repeating
 *   the event name; `response.completed` carries the usage and ends the stream.
 * - Anthropic Messages: `message_start`, `content_block_*`, `message_delta` (usage, stop reason),
 *   `message_stop` at the end.
 */
import type { StreamEvent } from "../../sse/decoder.js";

export type LlmFormat = "openai-chat" | "openai-responses" | "anthropic";

/** Human names for the formats, as shown in the footer. */
export const llmFormatNames: Record<LlmFormat, string> = {
  "openai-chat": "OpenAI chat completions",
  "openai-responses": "OpenAI responses",
  anthropic: "Anthropic messages",
};

/** Token counts normalised across providers; `raw` keeps the provider's block as sent. */
export interface LlmUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  raw: Record<string, unknown>;
}

/** One piece of assembled output, in arrival order. */
export type LlmDelta =
  /** Answer text, to print as it comes. */
  | { kind: "text"; text: string }
  /** Reasoning / thinking text (shown apart, dimmed). */
  | { kind: "reasoning"; text: string }
  /** A tool (function) call begins; `index` tells parallel calls apart. */
  | { kind: "tool-start"; index: number; name: string }
  /** A piece of a tool call's JSON arguments. */
  | { kind: "tool-args"; index: number; text: string }
  /** The usage block (may come more than once; the last one is complete). */
  | { kind: "usage"; usage: LlmUsage }
  /** The provider reported an error inside the stream. */
  | { kind: "error"; message: string }
  /** The end marker: nothing more belongs to this reply. */
  | { kind: "end" };

export interface LlmToolCall {
  index: number;
  name: string;
  arguments: string;
}

/** Timings in milliseconds from the request start given to the assembler. */
export interface LlmTimings {
  /** Time to the first text, reasoning or tool-argument delta. */
  firstTokenMs?: number;
  /** Time to the end marker, or to the last event seen when the stream had none. */
  totalMs: number;
  /** Events that carried a text, reasoning or tool delta. */
  chunks: number;
  /** Chunks per second between the first token and the end; absent when that span is 0. */
  chunksPerSecond?: number;
}

/** The final result, as `listen --llm --json` prints it. */
export interface LlmSummary {
  format: LlmFormat;
  text: string;
  reasoning: string;
  toolCalls: LlmToolCall[];
  usage?: LlmUsage;
  /** finish_reason / stop_reason / response status, when the stream names one. */
  stopReason?: string;
  /** True when the end marker arrived (false: the stream stopped before it). */
  complete: boolean;
  errors: string[];
  timings: LlmTimings;
}

const anthropicEventTypes = new Set([
  "message_start",
  "content_block_start",
  "content_block_delta",
  "content_block_stop",
  "message_delta",
  "message_stop",
]);

type Json = Record<string, unknown>;

function parseObject(data: string): Json | undefined {
  const first = data.trimStart()[0];
  if (first !== "{") return undefined;
  try {
    const value: unknown = JSON.parse(data);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Json)
      : undefined;
  } catch {
    return undefined;
  }
}

function objectAt(value: unknown): Json | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}

function stringAt(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function numberAt(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/**
 * Which LLM format an event belongs to, or undefined when it says nothing decisive (a `ping`,
 * a non-JSON payload, an unrelated stream).
 */
export function recogniseLlmEvent(event: StreamEvent): LlmFormat | undefined {
  if (event.data.trim() === "[DONE]") return "openai-chat";
  const json = parseObject(event.data);
  if (!json) return undefined;
  const type = stringAt(json.type);
  if (json.object === "chat.completion.chunk") return "openai-chat";
  if (Array.isArray(json.choices) && objectAt(json.choices[0])?.delta !== undefined) {
    return "openai-chat";
  }
  if (type?.startsWith("response.")) return "openai-responses";
  if (type !== undefined && anthropicEventTypes.has(type)) return "anthropic";
  return undefined;
}

function chatUsage(raw: Json): LlmUsage {
  return {
    inputTokens: numberAt(raw.prompt_tokens),
    outputTokens: numberAt(raw.completion_tokens),
    totalTokens: numberAt(raw.total_tokens),
    raw,
  };
}

function responsesUsage(raw: Json): LlmUsage {
  return {
    inputTokens: numberAt(raw.input_tokens),
    outputTokens: numberAt(raw.output_tokens),
    totalTokens: numberAt(raw.total_tokens),
    raw,
  };
}

function anthropicUsage(raw: Json): LlmUsage {
  const inputTokens = numberAt(raw.input_tokens);
  const outputTokens = numberAt(raw.output_tokens);
  const totalTokens =
    inputTokens !== undefined && outputTokens !== undefined
      ? inputTokens + outputTokens
      : undefined;
  return { inputTokens, outputTokens, totalTokens, raw };
}

function errorMessage(value: unknown): string {
  const error = objectAt(value);
  if (!error) return typeof value === "string" ? value : JSON.stringify(value);
  const message = stringAt(error.message) ?? JSON.stringify(error);
  const type = stringAt(error.type) ?? stringAt(error.code);
  return type ? `${type}: ${message}` : message;
}

/**
 * Feeds decoded events in arrival order; yields deltas and keeps the assembled reply.
 * Without a format it recognises one from the first decisive event; events before that, and
 * events of other shapes, yield nothing.
 */
export class LlmStreamAssembler {
  format: LlmFormat | undefined;
  text = "";
  reasoning = "";
  readonly toolCalls: LlmToolCall[] = [];
  usage: LlmUsage | undefined;
  stopReason: string | undefined;
  ended = false;
  readonly errors: string[] = [];

  readonly #startedAtMs: number;
  #firstTokenAtMs: number | undefined;
  #lastEventAtMs: number;
  #endedAtMs: number | undefined;
  #chunks = 0;
  /** Anthropic: content block index -> tool call index (only for tool_use blocks). */
  readonly #anthropicToolBlocks = new Map<number, number>();
  /** Anthropic usage is split between message_start and message_delta; merged here. */
  #anthropicUsageRaw: Json = {};
  /** Responses API: output item id -> tool call index. */
  readonly #responsesToolItems = new Map<string, number>();

  /** @param startedAtMs when the request was sent, on the same clock as `push`'s times. */
  constructor(startedAtMs: number, format?: LlmFormat) {
    this.#startedAtMs = startedAtMs;
    this.#lastEventAtMs = startedAtMs;
    this.format = format;
  }

  push(event: StreamEvent, atMs: number): LlmDelta[] {
    if (this.ended) return [];
    this.format ??= recogniseLlmEvent(event);
    if (this.format === undefined) return [];
    this.#lastEventAtMs = atMs;
    let deltas: LlmDelta[];
    if (this.format === "openai-chat") deltas = this.#openAiChat(event);
    else if (this.format === "openai-responses") deltas = this.#openAiResponses(event);
    else deltas = this.#anthropic(event);
    let carriesToken = false;
    for (const delta of deltas) {
      if (delta.kind === "text" || delta.kind === "reasoning" || delta.kind === "tool-args") {
        carriesToken = true;
        if (delta.kind === "text") this.text += delta.text;
        else if (delta.kind === "reasoning") this.reasoning += delta.text;
        else {
          const call = this.toolCalls.find((c) => c.index === delta.index);
          if (call) call.arguments += delta.text;
        }
      } else if (delta.kind === "tool-start") {
        this.toolCalls.push({ index: delta.index, name: delta.name, arguments: "" });
      } else if (delta.kind === "usage") {
        this.usage = delta.usage;
      } else if (delta.kind === "error") {
        this.errors.push(delta.message);
      } else if (delta.kind === "end") {
        this.ended = true;
        this.#endedAtMs = atMs;
      }
    }
    if (carriesToken) {
      this.#chunks++;
      this.#firstTokenAtMs ??= atMs;
    }
    return deltas;
  }

  timings(): LlmTimings {
    const endAtMs = this.#endedAtMs ?? this.#lastEventAtMs;
    const timings: LlmTimings = { totalMs: endAtMs - this.#startedAtMs, chunks: this.#chunks };
    if (this.#firstTokenAtMs !== undefined) {
      timings.firstTokenMs = this.#firstTokenAtMs - this.#startedAtMs;
      const spanMs = endAtMs - this.#firstTokenAtMs;
      if (spanMs > 0) timings.chunksPerSecond = (this.#chunks * 1000) / spanMs;
    }
    return timings;
  }

  /** The result so far; undefined while no format was recognised. */
  summary(): LlmSummary | undefined {
    if (this.format === undefined) return undefined;
    const summary: LlmSummary = {
      format: this.format,
      text: this.text,
      reasoning: this.reasoning,
      toolCalls: this.toolCalls.map((call) => ({ ...call })),
      complete: this.ended,
      errors: [...this.errors],
      timings: this.timings(),
    };
    if (this.usage) summary.usage = this.usage;
    if (this.stopReason !== undefined) summary.stopReason = this.stopReason;
    return summary;
  }

  #openAiChat(event: StreamEvent): LlmDelta[] {
    if (event.data.trim() === "[DONE]") return [{ kind: "end" }];
    const json = parseObject(event.data);
    if (!json) return [];
    const deltas: LlmDelta[] = [];
    if (json.error !== undefined) deltas.push({ kind: "error", message: errorMessage(json.error) });
    const choices = Array.isArray(json.choices) ? json.choices : [];
    // Only the first choice is assembled (n > 1 is rare in streams and would interleave).
    const choice = choices.map(objectAt).find((c) => (numberAt(c?.index) ?? 0) === 0);
    const delta = objectAt(choice?.delta);
    if (delta) {
      // Several OpenAI-compatible servers stream reasoning beside the content.
      const reasoning = stringAt(delta.reasoning_content) ?? stringAt(delta.reasoning);
      if (reasoning) deltas.push({ kind: "reasoning", text: reasoning });
      const content = stringAt(delta.content);
      if (content) deltas.push({ kind: "text", text: content });
      if (Array.isArray(delta.tool_calls)) {
        for (const item of delta.tool_calls) {
          const call = objectAt(item);
          if (!call) continue;
          const index = numberAt(call.index) ?? 0;
          const fn = objectAt(call.function);
          const name = stringAt(fn?.name);
          if (name !== undefined && !this.toolCalls.some((c) => c.index === index)) {
            deltas.push({ kind: "tool-start", index, name });
          }
          const args = stringAt(fn?.arguments);
          if (args) deltas.push({ kind: "tool-args", index, text: args });
        }
      }
    }
    const finish = stringAt(choice?.finish_reason);
    if (finish) this.stopReason = finish;
    const usage = objectAt(json.usage);
    if (usage) deltas.push({ kind: "usage", usage: chatUsage(usage) });
    return deltas;
  }

  #openAiResponses(event: StreamEvent): LlmDelta[] {
    const json = parseObject(event.data);
    if (!json) return [];
    const type = stringAt(json.type) ?? event.type;
    const deltaText = stringAt(json.delta) ?? "";
    switch (type) {
      case "response.output_text.delta":
      case "response.refusal.delta":
        return deltaText ? [{ kind: "text", text: deltaText }] : [];
      case "response.reasoning_text.delta":
      case "response.reasoning_summary_text.delta":
        return deltaText ? [{ kind: "reasoning", text: deltaText }] : [];
      case "response.output_item.added": {
        const item = objectAt(json.item);
        if (item?.type !== "function_call") return [];
        const index = this.#responsesToolItems.size;
        this.#responsesToolItems.set(stringAt(item.id) ?? String(index), index);
        return [{ kind: "tool-start", index, name: stringAt(item.name) ?? "function" }];
      }
      case "response.function_call_arguments.delta": {
        const index = this.#responsesToolItems.get(stringAt(json.item_id) ?? "") ?? 0;
        if (!this.toolCalls.some((c) => c.index === index)) {
          // The item was not announced (or was missed): open it unnamed.
          this.#responsesToolItems.set(stringAt(json.item_id) ?? "", index);
          return [
            { kind: "tool-start", index, name: "function" },
            { kind: "tool-args", index, text: deltaText },
          ];
        }
        return deltaText ? [{ kind: "tool-args", index, text: deltaText }] : [];
      }
      case "response.completed":
      case "response.incomplete":
      case "response.failed": {
        const response = objectAt(json.response);
        const deltas: LlmDelta[] = [];
        this.stopReason = stringAt(response?.status) ?? type.slice("response.".length);
        const usage = objectAt(response?.usage);
        if (usage) deltas.push({ kind: "usage", usage: responsesUsage(usage) });
        if (type === "response.failed" && response?.error) {
          deltas.push({ kind: "error", message: errorMessage(response.error) });
        }
        deltas.push({ kind: "end" });
        return deltas;
      }
      case "error":
        return [{ kind: "error", message: errorMessage(json.error ?? json) }];
      default:
        return [];
    }
  }

  #anthropic(event: StreamEvent): LlmDelta[] {
    const json = parseObject(event.data);
    if (!json) return [];
    const type = stringAt(json.type) ?? event.type;
    switch (type) {
      case "message_start": {
        const usage = objectAt(objectAt(json.message)?.usage);
        if (!usage) return [];
        this.#anthropicUsageRaw = { ...usage };
        return [{ kind: "usage", usage: anthropicUsage(this.#anthropicUsageRaw) }];
      }
      case "content_block_start": {
        const block = objectAt(json.content_block);
        if (block?.type !== "tool_use" && block?.type !== "server_tool_use") return [];
        const index = this.#anthropicToolBlocks.size;
        this.#anthropicToolBlocks.set(numberAt(json.index) ?? 0, index);
        return [{ kind: "tool-start", index, name: stringAt(block.name) ?? "tool" }];
      }
      case "content_block_delta": {
        const delta = objectAt(json.delta);
        const text =
          delta?.type === "text_delta"
            ? stringAt(delta.text)
            : delta?.type === "thinking_delta"
              ? stringAt(delta.thinking)
              : delta?.type === "input_json_delta"
                ? stringAt(delta.partial_json)
                : undefined;
        if (!text) return [];
        if (delta?.type === "text_delta") return [{ kind: "text", text }];
        if (delta?.type === "thinking_delta") return [{ kind: "reasoning", text }];
        const blockIndex = numberAt(json.index) ?? 0;
        let index = this.#anthropicToolBlocks.get(blockIndex);
        if (index === undefined) {
          index = this.#anthropicToolBlocks.size;
          this.#anthropicToolBlocks.set(blockIndex, index);
          return [
            { kind: "tool-start", index, name: "tool" },
            { kind: "tool-args", index, text },
          ];
        }
        return [{ kind: "tool-args", index, text }];
      }
      case "message_delta": {
        const stop = stringAt(objectAt(json.delta)?.stop_reason);
        if (stop) this.stopReason = stop;
        const usage = objectAt(json.usage);
        if (!usage) return [];
        // message_delta's counts are cumulative; they update what message_start said.
        for (const [key, value] of Object.entries(usage)) {
          if (value !== null) this.#anthropicUsageRaw[key] = value;
        }
        return [{ kind: "usage", usage: anthropicUsage({ ...this.#anthropicUsageRaw }) }];
      }
      case "message_stop":
        return [{ kind: "end" }];
      case "error":
        return [{ kind: "error", message: errorMessage(json.error ?? json) }];
      default:
        return [];
    }
  }
}
