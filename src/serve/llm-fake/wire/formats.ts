/** Each provider's wire format, by the name `serve --llm-fake` takes. Pure. */
import type { LlmFakeProvider } from "../providers.js";
import { anthropicWire } from "./anthropic.js";
import { cohereWire } from "./cohere.js";
import type { WireFormat } from "./format.js";
import { geminiWire } from "./gemini.js";
import { openAiChatWire } from "./openai-chat.js";
import { openAiResponsesWire } from "./openai-responses.js";
import { vercelAiWire } from "./vercel-ai.js";

export const wireFormats: Record<LlmFakeProvider, WireFormat> = {
  openai: openAiChatWire,
  "openai-responses": openAiResponsesWire,
  anthropic: anthropicWire,
  gemini: geminiWire,
  cohere: cohereWire,
  "vercel-ai": vercelAiWire,
};
