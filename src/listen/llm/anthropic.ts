/**
 * Anthropic Messages streams. Pure.
 *
 * `message_start` (input usage), `content_block_start` / `content_block_delta` /
 * `content_block_stop` per block (text, thinking, tool_use), `message_delta` (stop reason,
 * cumulative output usage), `message_stop` at the end; `ping` any time; `error` mid-stream.
 */
import {
  errorMessage,
  type Json,
  numberAt,
  objectAt,
  parseObject,
  stringAt,
} from "./json-fields.js";
import { ToolCallSlots } from "./tool-calls.js";
import type { LlmDelta, LlmFamilyReader, LlmUsage } from "./types.js";
import { llmUsage } from "./usage.js";

/** Block deltas that carry nothing to show (signatures, citation metadata). */
const quietDeltaTypes = new Set(["signature_delta", "citations_delta"]);

/** Distinct usage keys merged over the stream. */
const maxUsageKeys = 64;

function anthropicUsage(raw: Json): LlmUsage {
  return llmUsage(raw, numberAt(raw.input_tokens), numberAt(raw.output_tokens));
}

export class AnthropicReader implements LlmFamilyReader {
  /** Tool calls by content block index (only tool_use blocks). */
  readonly #tools = new ToolCallSlots<number>("tool");
  /** Usage is split between message_start and message_delta; merged here. */
  #usageRaw: Json = {};
  #usageKeys = 0;

  read(event: { type: string; data: string }): LlmDelta[] {
    const json = parseObject(event.data);
    if (!json) return [{ kind: "warning", message: "an event that is not a JSON object" }];
    const type = stringAt(json.type) ?? event.type;
    switch (type) {
      case "message_start":
        return this.#usage(objectAt(objectAt(json.message)?.usage));
      case "content_block_start": {
        const block = objectAt(json.content_block);
        if (block?.type !== "tool_use" && block?.type !== "server_tool_use") return [];
        const deltas: LlmDelta[] = [];
        this.#tools.slot(numberAt(json.index) ?? 0, stringAt(block.name), deltas);
        return deltas;
      }
      case "content_block_delta":
        return this.#blockDelta(numberAt(json.index) ?? 0, objectAt(json.delta));
      case "message_delta": {
        const deltas: LlmDelta[] = [];
        const stop = stringAt(objectAt(json.delta)?.stop_reason);
        if (stop) deltas.push({ kind: "stop", reason: stop });
        deltas.push(...this.#usage(objectAt(json.usage)));
        return deltas;
      }
      case "message_stop":
        return [{ kind: "end" }];
      case "error":
        return [{ kind: "error", message: errorMessage(json.error ?? json) }];
      default:
        return [];
    }
  }

  #usage(usage: Json | undefined): LlmDelta[] {
    if (!usage) return [];
    // message_delta's counts are cumulative; they update what message_start said.
    for (const key in usage) {
      if (!Object.hasOwn(usage, key) || usage[key] === null || key === "__proto__") continue;
      // Bounded: a hostile stream cannot grow the merged block key by key.
      if (Object.hasOwn(this.#usageRaw, key) || this.#usageKeys++ < maxUsageKeys) {
        this.#usageRaw[key] = usage[key];
      }
    }
    return [{ kind: "usage", usage: anthropicUsage(this.#usageRaw) }];
  }

  #blockDelta(blockIndex: number, delta: Json | undefined): LlmDelta[] {
    const type = stringAt(delta?.type);
    if (type === "text_delta") {
      const text = stringAt(delta?.text);
      return text ? [{ kind: "text", text }] : [];
    }
    if (type === "thinking_delta") {
      const text = stringAt(delta?.thinking);
      return text ? [{ kind: "reasoning", text }] : [];
    }
    if (type !== "input_json_delta") {
      if (type !== undefined && quietDeltaTypes.has(type)) return [];
      return [
        { kind: "warning", message: `a block delta this view does not read: ${type ?? "untyped"}` },
      ];
    }
    const deltas: LlmDelta[] = [];
    this.#tools.args(blockIndex, stringAt(delta?.partial_json), deltas);
    return deltas;
  }
}
