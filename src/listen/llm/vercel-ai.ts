/**
 * The Vercel AI SDK UI message stream (`x-vercel-ai-ui-message-stream: v1`), what `useChat`
 * reads from a route returning `toUIMessageStreamResponse()`. Pure.
 *
 * Data-only events whose JSON names a `type`: `start`, `start-step`, `text-start` /
 * `text-delta` (`delta`) / `text-end`, `reasoning-*` likewise, `tool-input-start` (`toolName`) /
 * `tool-input-delta` (`inputTextDelta`) / `tool-input-available` (the whole `input`),
 * `tool-output-*`, `source-*`, `file`, `data-*` (the app's own parts), `finish-step`, `finish`,
 * `error` (`errorText`), `abort`; then `data: [DONE]`. The protocol carries no usage of its own:
 * apps that report it put it in `messageMetadata` (`usage` or `totalUsage`, AI SDK field names),
 * which is read when present.
 */
import {
  errorMessage,
  type Json,
  jsonText,
  numberAt,
  objectAt,
  parseObject,
  stringAt,
} from "./json-fields.js";
import { ToolCallSlots } from "./tool-calls.js";
import type { LlmDelta, LlmFamilyReader, LlmUsage } from "./types.js";
import { llmUsage } from "./usage.js";

/** Types with nothing to show here. */
const quietTypes = new Set([
  "start",
  "start-step",
  "finish-step",
  "text-start",
  "text-end",
  "reasoning-start",
  "reasoning-end",
  "tool-output-available",
  "tool-output-denied",
  "tool-approval-request",
  "source-url",
  "source-document",
  "file",
]);

function metadataUsage(metadata: Json | undefined): LlmUsage | undefined {
  const raw = objectAt(metadata?.usage) ?? objectAt(metadata?.totalUsage);
  if (!raw) return undefined;
  return llmUsage(
    raw,
    numberAt(raw.inputTokens) ?? numberAt(raw.promptTokens),
    numberAt(raw.outputTokens) ?? numberAt(raw.completionTokens),
    numberAt(raw.totalTokens),
  );
}

export class VercelAiReader implements LlmFamilyReader {
  /** Tool calls by toolCallId. */
  readonly #tools = new ToolCallSlots<string>("tool");
  /** Tool calls whose input arrived in pieces (tool-input-available then adds nothing). */
  readonly #streamedInput = new Set<string>();

  read(event: { data: string }): LlmDelta[] {
    if (event.data.trim() === "[DONE]") return [{ kind: "end" }];
    const json = parseObject(event.data);
    if (!json) return [{ kind: "warning", message: "an event that is not a JSON object" }];
    const type = stringAt(json.type) ?? "";
    const delta = stringAt(json.delta) ?? "";
    switch (type) {
      case "text-delta":
        return delta ? [{ kind: "text", text: delta }] : [];
      case "reasoning-delta":
        return delta ? [{ kind: "reasoning", text: delta }] : [];
      case "tool-input-start": {
        const deltas: LlmDelta[] = [];
        this.#tools.slot(stringAt(json.toolCallId) ?? "", stringAt(json.toolName), deltas);
        return deltas;
      }
      case "tool-input-delta": {
        const deltas: LlmDelta[] = [];
        const id = stringAt(json.toolCallId) ?? "";
        const text = stringAt(json.inputTextDelta);
        this.#tools.args(id, text, deltas);
        if (text) this.#streamedInput.add(id);
        return deltas;
      }
      case "tool-input-available":
        return this.#toolInput(json);
      case "tool-input-error":
      case "tool-output-error":
      case "error":
        return [{ kind: "error", message: errorMessage(json.errorText ?? json) }];
      case "abort":
        return [{ kind: "error", message: "the stream was aborted" }];
      case "message-metadata":
      case "finish": {
        const deltas: LlmDelta[] = [];
        const usage = metadataUsage(objectAt(json.messageMetadata));
        if (usage) deltas.push({ kind: "usage", usage });
        if (type === "finish") {
          deltas.push({ kind: "stop", reason: stringAt(json.finishReason) ?? "finish" });
          deltas.push({ kind: "end" });
        }
        return deltas;
      }
      default:
        if (quietTypes.has(type) || type.startsWith("data-")) return [];
        return [
          {
            kind: "warning",
            message: `events of a type this view does not read: ${type || "untyped"}`,
          },
        ];
    }
  }

  #toolInput(json: Json): LlmDelta[] {
    const deltas: LlmDelta[] = [];
    const id = stringAt(json.toolCallId) ?? "";
    this.#tools.slot(id, stringAt(json.toolName), deltas);
    if (this.#streamedInput.has(id)) return deltas;
    const text = json.input === undefined ? undefined : jsonText(json.input);
    if (text === undefined)
      deltas.push({ kind: "warning", message: "tool input that cannot be shown" });
    else this.#tools.args(id, text, deltas);
    return deltas;
  }
}
