/**
 * Which provider family an event belongs to. Pure.
 *
 * Most events decide at once: a chunk in a known shape names its format, and anything no LLM
 * provider sends (plain text, a JSON array, JSON of another shape) says "not an LLM stream".
 * A few events are what providers send *before* their first content and say nothing yet:
 * Azure OpenAI's `{"choices":[],"prompt_filter_results":…}` opening without its marker, a usage
 * chunk, Anthropic's `ping`, an error, the Vercel AI SDK's bare `start`. Those are "maybe",
 * and the choice waits for a later event (bounded by src/listen/llm/auto-choice.ts).
 */
import { arrayAt, type Json, objectAt, parseObject, stringAt } from "./json-fields.js";
import type { LlmFormat } from "./types.js";

export type LlmEventClass = LlmFormat | "maybe" | "no";

const anthropicTypes = new Set([
  "message_start",
  "content_block_start",
  "content_block_delta",
  "content_block_stop",
  "message_delta",
  "message_stop",
]);

const cohereTypes = new Set([
  "message-start",
  "content-start",
  "content-delta",
  "content-end",
  "tool-plan-delta",
  "tool-call-start",
  "tool-call-delta",
  "tool-call-end",
  "citation-start",
  "citation-end",
  "message-end",
]);

/** Vercel AI SDK UI message chunks specific enough to decide on their own. */
const vercelTypes = new Set([
  "start-step",
  "finish-step",
  "text-start",
  "text-delta",
  "text-end",
  "reasoning-start",
  "reasoning-delta",
  "reasoning-end",
  "tool-input-start",
  "tool-input-delta",
  "tool-input-available",
  "tool-input-error",
  "tool-output-available",
  "tool-output-error",
  "message-metadata",
  "source-url",
  "source-document",
]);

/** Classifies one event: its format, "maybe" (wait for more), or "no" (not an LLM chunk). */
export function classifyLlmEvent(event: { type: string; data: string }): LlmEventClass {
  if (event.data.trim() === "[DONE]") return "openai-chat";
  const json = parseObject(event.data);
  if (!json) return "no";
  return classifyObject(json);
}

/** The format an event names, or undefined when it names none ("maybe" and "no"). */
export function recogniseLlmEvent(event: { type: string; data: string }): LlmFormat | undefined {
  const found = classifyLlmEvent(event);
  return found === "maybe" || found === "no" ? undefined : found;
}

function classifyObject(json: Json): LlmEventClass {
  const type = stringAt(json.type);
  if (json.object === "chat.completion.chunk") return "openai-chat";
  if (json.object === "text_completion") return "openai-completions";
  if (Array.isArray(json.choices)) return classifyChoices(json);
  if (type !== undefined) {
    if (type.startsWith("response.")) return "openai-responses";
    if (anthropicTypes.has(type)) return "anthropic";
    if (cohereTypes.has(type)) return "cohere";
    if (vercelTypes.has(type)) return "vercel-ai";
    if (type === "start" && typeof json.messageId === "string") return "vercel-ai";
    if (["ping", "error", "start", "finish", "abort", "debug"].includes(type)) return "maybe";
  }
  if (
    Array.isArray(json.candidates) ||
    objectAt(json.promptFeedback) !== undefined ||
    objectAt(json.usageMetadata) !== undefined
  ) {
    return "gemini";
  }
  // An error envelope alone (OpenAI, Gemini, proxies) belongs to no family in particular.
  if (objectAt(json.error) !== undefined) return "maybe";
  return "no";
}

function classifyChoices(json: Json): LlmEventClass {
  const choices = arrayAt(json.choices);
  for (const item of choices) {
    const choice = objectAt(item);
    if (choice?.delta !== undefined) return "openai-chat";
    if (typeof choice?.text === "string") return "openai-completions";
  }
  // Azure OpenAI opens with the prompt's content-filter results and no choices.
  if (json.prompt_filter_results !== undefined) return "openai-chat";
  // A usage chunk, or a choice of a shape not seen yet: chat-like, but not decisive.
  return "maybe";
}
