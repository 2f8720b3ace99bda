/**
 * Cohere chat v2 streams (`POST /v2/chat`, `"stream": true`). Pure.
 *
 * Each event names its `type` in the JSON: `message-start`, `content-start` / `content-delta`
 * (`delta.message.content.text`, or `.thinking` for reasoning models) / `content-end`,
 * `tool-plan-delta` (the model's plan before calling tools: shown as reasoning),
 * `tool-call-start` / `tool-call-delta` (`delta.message.tool_calls.function.arguments`) /
 * `tool-call-end`, `citation-start` / `citation-end`, and `message-end` with the finish reason,
 * usage (`tokens`, else `billed_units`) and, when generation failed, an `error`.
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

/** Types with nothing to show. */
const quietTypes = new Set([
  "message-start",
  "content-start",
  "content-end",
  "tool-call-end",
  "citation-start",
  "citation-end",
  "debug",
]);

function cohereUsage(raw: Json): LlmUsage {
  const counts = objectAt(raw.tokens) ?? objectAt(raw.billed_units) ?? {};
  return llmUsage(raw, numberAt(counts.input_tokens), numberAt(counts.output_tokens));
}

/** `tool_calls` is one object in v2 stream deltas; an array is read as its first entry. */
function toolCallOf(message: Json | undefined): Json | undefined {
  const calls = message?.tool_calls;
  return Array.isArray(calls) ? objectAt(calls[0]) : objectAt(calls);
}

export class CohereReader implements LlmFamilyReader {
  /** Tool calls by the events' `index`. */
  readonly #tools = new ToolCallSlots<number>();

  read(event: { type: string; data: string }): LlmDelta[] {
    const json = parseObject(event.data);
    if (!json) return [{ kind: "warning", message: "an event that is not a JSON object" }];
    const type = stringAt(json.type) ?? event.type;
    const message = objectAt(objectAt(json.delta)?.message);
    switch (type) {
      case "content-delta": {
        const content = objectAt(message?.content);
        const text = stringAt(content?.text);
        const thinking = stringAt(content?.thinking);
        if (text) return [{ kind: "text", text }];
        if (thinking) return [{ kind: "reasoning", text: thinking }];
        if (text === undefined && thinking === undefined) {
          return [{ kind: "warning", message: "a content-delta without text or thinking" }];
        }
        return [];
      }
      case "tool-plan-delta": {
        const plan = stringAt(message?.tool_plan);
        return plan ? [{ kind: "reasoning", text: plan }] : [];
      }
      case "tool-call-start": {
        const fn = objectAt(toolCallOf(message)?.function);
        const deltas: LlmDelta[] = [];
        const key = numberAt(json.index) ?? 0;
        this.#tools.slot(key, stringAt(fn?.name), deltas);
        this.#tools.args(key, stringAt(fn?.arguments), deltas);
        return deltas;
      }
      case "tool-call-delta": {
        const deltas: LlmDelta[] = [];
        const fn = objectAt(toolCallOf(message)?.function);
        this.#tools.args(numberAt(json.index) ?? 0, stringAt(fn?.arguments), deltas);
        return deltas;
      }
      case "message-end":
        return this.#end(objectAt(json.delta));
      case "error":
        return [{ kind: "error", message: errorMessage(json.error ?? json) }];
      default:
        if (quietTypes.has(type)) return [];
        return [{ kind: "warning", message: `events of a type this view does not read: ${type}` }];
    }
  }

  #end(delta: Json | undefined): LlmDelta[] {
    const deltas: LlmDelta[] = [];
    const finish = stringAt(delta?.finish_reason);
    if (finish) deltas.push({ kind: "stop", reason: finish });
    if (delta?.error !== undefined && delta.error !== null && delta.error !== "") {
      deltas.push({ kind: "error", message: errorMessage(delta.error) });
    } else if (finish === "ERROR") {
      deltas.push({ kind: "error", message: "generation failed (finish_reason ERROR)" });
    }
    const usage = objectAt(delta?.usage);
    if (usage) deltas.push({ kind: "usage", usage: cohereUsage(usage) });
    deltas.push({ kind: "end" });
    return deltas;
  }
}
