/**
 * The OpenAI Responses API stream. Pure.
 *
 * `event: response.output_text.delta` and so on, the JSON's `type` repeating the event name;
 * `response.completed` (or `.incomplete`, `.failed`) carries the usage and ends the stream.
 * Events of types this view does not assemble are skipped quietly, except unknown `*.delta`
 * events, which carry output that would otherwise vanish: those warn.
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

/** Delta events that carry nothing to show here (audio bytes, the transcript is shown). */
const quietDeltaTypes = new Set(["response.audio.delta"]);

function responsesUsage(raw: Json): LlmUsage {
  return llmUsage(
    raw,
    numberAt(raw.input_tokens),
    numberAt(raw.output_tokens),
    numberAt(raw.total_tokens),
  );
}

export class OpenAiResponsesReader implements LlmFamilyReader {
  /** Tool calls by output item id. */
  readonly #tools = new ToolCallSlots<string>();

  read(event: { type: string; data: string }): LlmDelta[] {
    const json = parseObject(event.data);
    if (!json) return [{ kind: "warning", message: "an event that is not a JSON object" }];
    const type = stringAt(json.type) ?? event.type;
    const deltaText = stringAt(json.delta) ?? "";
    switch (type) {
      case "response.output_text.delta":
      case "response.audio.transcript.delta":
        return deltaText ? [{ kind: "text", text: deltaText }] : [];
      case "response.refusal.delta":
        return deltaText ? [{ kind: "refusal", text: deltaText }] : [];
      case "response.reasoning_text.delta":
      case "response.reasoning_summary_text.delta":
        return deltaText ? [{ kind: "reasoning", text: deltaText }] : [];
      case "response.output_item.added": {
        const item = objectAt(json.item);
        if (item?.type !== "function_call" && item?.type !== "custom_tool_call") return [];
        const deltas: LlmDelta[] = [];
        this.#tools.slot(stringAt(item.id) ?? "", stringAt(item.name), deltas);
        return deltas;
      }
      case "response.function_call_arguments.delta":
      case "response.custom_tool_call_input.delta": {
        const deltas: LlmDelta[] = [];
        this.#tools.args(stringAt(json.item_id) ?? "", deltaText, deltas);
        return deltas;
      }
      case "response.completed":
      case "response.incomplete":
      case "response.failed":
        return this.#finish(type, objectAt(json.response));
      case "error":
        return [{ kind: "error", message: errorMessage(json.error ?? json) }];
      default:
        if (type.endsWith(".delta") && !quietDeltaTypes.has(type)) {
          return [
            { kind: "warning", message: `events of a type this view does not show: ${type}` },
          ];
        }
        return [];
    }
  }

  #finish(type: string, response: Json | undefined): LlmDelta[] {
    const deltas: LlmDelta[] = [];
    const reason = objectAt(response?.incomplete_details)?.reason;
    const status = stringAt(response?.status) ?? type.slice("response.".length);
    deltas.push({
      kind: "stop",
      reason: typeof reason === "string" ? `${status}: ${reason}` : status,
    });
    if (reason === "content_filter") deltas.push({ kind: "blocked", reason: "content_filter" });
    const usage = objectAt(response?.usage);
    if (usage) deltas.push({ kind: "usage", usage: responsesUsage(usage) });
    if (type === "response.failed" && response?.error) {
      deltas.push({ kind: "error", message: errorMessage(response.error) });
    }
    deltas.push({ kind: "end" });
    return deltas;
  }
}
