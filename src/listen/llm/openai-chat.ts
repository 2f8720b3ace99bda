/**
 * OpenAI Chat Completions chunks and everything that speaks them: Azure OpenAI, Mistral,
 * Ollama, vLLM, Groq, xAI, DeepSeek, OpenRouter. Also OpenAI's legacy completions
 * (`object: "text_completion"`, `choices[].text`), which share the envelope. Pure.
 *
 * `data: {"choices":[{"index":0,"delta":{…},"finish_reason":null}]}` per chunk, an optional
 * usage chunk (`choices: []`, `usage`), then `data: [DONE]`. Variants read here:
 * - `delta.refusal`: the model declined (shown as a refusal, as the Responses API's is);
 * - `delta.content` as an array of parts (Mistral's reasoning models: `text` parts and
 *   `thinking` parts holding text parts);
 * - reasoning beside the content (`reasoning_content`: vLLM, DeepSeek, xAI; `reasoning`:
 *   Ollama, Groq, OpenRouter);
 * - the legacy `function_call` delta, as tool call 0;
 * - usage under `x_groq.usage` (Groq) when there is no top-level usage;
 * - `finish_reason: "content_filter"` (Azure, OpenAI): the answer was cut by a filter.
 */
import {
  arrayAt,
  errorMessage,
  firstReplyEntry,
  firstUnknownKey,
  type Json,
  numberAt,
  objectAt,
  parseObject,
  stringAt,
} from "./json-fields.js";
import { ToolCallSlots } from "./tool-calls.js";
import type { LlmDelta, LlmFamilyReader, LlmUsage } from "./types.js";
import { llmUsage } from "./usage.js";

/** Keys a chat delta may carry that this view has nothing to show for. */
const quietDeltaKeys = new Set([
  "role",
  "content",
  "refusal",
  "reasoning_content",
  "reasoning",
  "reasoning_details",
  "tool_calls",
  "function_call",
  "annotations",
  "tool_call_id",
  "name",
  "prefix",
  "obfuscation",
  "audio",
]);

/** Mistral content part types that carry nothing to show (citations). */
const quietPartTypes = new Set(["reference", "image_url", "document_url"]);

function chatUsage(raw: Json): LlmUsage {
  return llmUsage(
    raw,
    numberAt(raw.prompt_tokens),
    numberAt(raw.completion_tokens),
    numberAt(raw.total_tokens),
  );
}

export class OpenAiChatReader implements LlmFamilyReader {
  /** Tool calls by their `index`. */
  readonly #tools = new ToolCallSlots<number>();

  read(event: { data: string }): LlmDelta[] {
    if (event.data.trim() === "[DONE]") return [{ kind: "end" }];
    const json = parseObject(event.data);
    if (!json) return [{ kind: "warning", message: "an event that is not a JSON chunk" }];
    const deltas: LlmDelta[] = [];
    if (json.error !== undefined) deltas.push({ kind: "error", message: errorMessage(json.error) });
    const choice = firstReplyEntry(json.choices);
    if (choice) {
      const delta = objectAt(choice.delta);
      if (delta) this.#delta(delta, deltas);
      // Legacy completions put the text on the choice itself.
      const text = stringAt(choice.text);
      if (text) deltas.push({ kind: "text", text });
      const finish = stringAt(choice.finish_reason);
      if (finish) {
        deltas.push({ kind: "stop", reason: finish });
        if (finish === "content_filter") deltas.push({ kind: "blocked", reason: finish });
      }
    }
    const usage = objectAt(json.usage) ?? objectAt(objectAt(json.x_groq)?.usage);
    if (usage) deltas.push({ kind: "usage", usage: chatUsage(usage) });
    return deltas;
  }

  #delta(delta: Json, deltas: LlmDelta[]): void {
    const reasoning = stringAt(delta.reasoning_content) ?? stringAt(delta.reasoning);
    if (reasoning) deltas.push({ kind: "reasoning", text: reasoning });
    this.#content(delta.content, deltas);
    const refusal = stringAt(delta.refusal);
    if (refusal) deltas.push({ kind: "refusal", text: refusal });
    for (const item of arrayAt(delta.tool_calls)) {
      const call = objectAt(item);
      if (call) this.#toolCall(numberAt(call.index) ?? 0, objectAt(call.function), deltas);
    }
    const legacyCall = objectAt(delta.function_call);
    if (legacyCall) this.#toolCall(0, legacyCall, deltas);
    if (delta.audio !== undefined && delta.audio !== null) {
      deltas.push({ kind: "warning", message: "audio output (delta.audio) is not shown" });
    }
    const unread = firstUnknownKey(delta, quietDeltaKeys);
    if (unread !== undefined) {
      deltas.push({ kind: "warning", message: `a delta field this view does not read: ${unread}` });
    }
  }

  #content(content: unknown, deltas: LlmDelta[]): void {
    if (content === undefined || content === null) return;
    if (typeof content === "string") {
      if (content) deltas.push({ kind: "text", text: content });
      return;
    }
    if (!Array.isArray(content)) {
      deltas.push({ kind: "warning", message: "delta.content of an unknown shape" });
      return;
    }
    // Mistral: [{"type":"thinking","thinking":[{"type":"text","text":"…"}]}, {"type":"text",…}]
    let warned = false;
    for (const item of content) {
      const part = objectAt(item);
      const type = stringAt(part?.type);
      if (type === "text") {
        const text = stringAt(part?.text);
        if (text) deltas.push({ kind: "text", text });
      } else if (type === "thinking") {
        const thinking = part?.thinking;
        if (typeof thinking === "string") {
          if (thinking) deltas.push({ kind: "reasoning", text: thinking });
          continue;
        }
        for (const inner of arrayAt(thinking)) {
          const text = stringAt(objectAt(inner)?.text);
          if (text) deltas.push({ kind: "reasoning", text });
        }
      } else if (!warned && (type === undefined || !quietPartTypes.has(type))) {
        warned = true;
        deltas.push({
          kind: "warning",
          message: `a content part this view does not read: ${type ?? "untyped"}`,
        });
      }
    }
  }

  #toolCall(index: number, fn: Json | undefined, deltas: LlmDelta[]): void {
    const name = stringAt(fn?.name);
    // The first piece names the call; one with neither name nor arguments opens nothing.
    if (name !== undefined) this.#tools.slot(index, name, deltas);
    this.#tools.args(index, stringAt(fn?.arguments), deltas);
  }
}
