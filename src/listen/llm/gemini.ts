/**
 * Google Gemini `:streamGenerateContent?alt=sse` (and Vertex AI's). Pure.
 *
 * Every event is a whole GenerateContentResponse: `candidates[0].content.parts[]` with `text`
 * (reasoning when `thought: true`) or a complete `functionCall`; `usageMetadata` on each chunk
 * is cumulative, so the last one counts; the last chunk names a `finishReason`. A prompt the
 * safety filters stop answers 200 with `promptFeedback.blockReason` and no candidates: that is
 * a block, not an empty answer. Errors mid-stream come as `{"error":{code,message,status}}`.
 */
import {
  arrayAt,
  errorMessage,
  firstReplyEntry,
  firstUnknownKey,
  type Json,
  jsonText,
  numberAt,
  objectAt,
  parseObject,
  stringAt,
} from "./json-fields.js";
import type { LlmDelta, LlmFamilyReader, LlmUsage } from "./types.js";
import { llmUsage } from "./usage.js";

/** finishReason values that mean a filter cut the answer. */
const blockingFinishReasons = new Set([
  "SAFETY",
  "RECITATION",
  "BLOCKLIST",
  "PROHIBITED_CONTENT",
  "SPII",
  "IMAGE_SAFETY",
  "LANGUAGE",
]);

/** Part fields that carry nothing to show (the thought signature is opaque). */
const quietPartKeys = new Set([
  "text",
  "thought",
  "thoughtSignature",
  "functionCall",
  "partMetadata",
]);

function geminiUsage(raw: Json): LlmUsage {
  const candidates = numberAt(raw.candidatesTokenCount);
  const thoughts = numberAt(raw.thoughtsTokenCount);
  // Thinking tokens are output the model generated too (billed as output).
  const output =
    candidates === undefined && thoughts === undefined
      ? undefined
      : (candidates ?? 0) + (thoughts ?? 0);
  return llmUsage(raw, numberAt(raw.promptTokenCount), output, numberAt(raw.totalTokenCount));
}

export class GeminiReader implements LlmFamilyReader {
  #toolCalls = 0;

  read(event: { data: string }): LlmDelta[] {
    const json = parseObject(event.data);
    if (!json) return [{ kind: "warning", message: "an event that is not a JSON object" }];
    const deltas: LlmDelta[] = [];
    if (json.error !== undefined) deltas.push({ kind: "error", message: errorMessage(json.error) });
    let ended = false;
    const blockReason = stringAt(objectAt(json.promptFeedback)?.blockReason);
    if (blockReason) {
      deltas.push({ kind: "blocked", reason: blockReason }, { kind: "stop", reason: "blocked" });
      ended = true;
    }
    const candidate = firstReplyEntry(json.candidates);
    if (candidate) {
      this.#parts(arrayAt(objectAt(candidate.content)?.parts), deltas);
      const finish = stringAt(candidate.finishReason);
      if (finish) {
        deltas.push({ kind: "stop", reason: finish });
        if (blockingFinishReasons.has(finish)) deltas.push({ kind: "blocked", reason: finish });
        ended = true;
      }
    }
    const usage = objectAt(json.usageMetadata);
    if (usage) deltas.push({ kind: "usage", usage: geminiUsage(usage) });
    if (ended) deltas.push({ kind: "end" });
    return deltas;
  }

  #parts(parts: unknown[], deltas: LlmDelta[]): void {
    let warned = false;
    for (const item of parts) {
      const part = objectAt(item);
      if (!part) continue;
      const text = stringAt(part.text);
      if (text) deltas.push({ kind: part.thought === true ? "reasoning" : "text", text });
      const call = objectAt(part.functionCall);
      if (call) {
        // Gemini sends each call whole: its arguments are an object, not text pieces.
        const index = this.#toolCalls++;
        deltas.push({ kind: "tool-start", index, name: stringAt(call.name) ?? "function" });
        const args = call.args === undefined ? "{}" : jsonText(call.args);
        if (args === undefined) {
          deltas.push({
            kind: "warning",
            message: "tool call arguments nested too deeply to show",
          });
        } else {
          deltas.push({ kind: "tool-args", index, text: args });
        }
      }
      const unread = warned ? undefined : firstUnknownKey(part, quietPartKeys);
      if (unread !== undefined) {
        warned = true;
        deltas.push({ kind: "warning", message: `a part this view does not show: ${unread}` });
      }
    }
  }
}
