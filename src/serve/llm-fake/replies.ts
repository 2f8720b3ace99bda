/**
 * What `serve --llm-fake` answers besides the stream: each provider's request check, its
 * non-streaming reply and its error envelope, so client code for all three paths can be
 * exercised offline. Pure.
 */
import { type LlmFakeProvider, tokenizeWordish } from "./steps.js";

type Json = Record<string, unknown>;

/** Why a request body is not the provider's shape, or undefined when it is. */
export function requestProblem(provider: LlmFakeProvider, body: Json): string | undefined {
  switch (provider) {
    case "openai":
    case "anthropic":
    case "vercel-ai":
      return Array.isArray(body.messages) ? undefined : "messages: an array is required";
    case "openai-responses":
      return typeof body.input === "string" || Array.isArray(body.input)
        ? undefined
        : "input: a string or an array is required";
    case "gemini":
      return Array.isArray(body.contents) ? undefined : "contents: an array is required";
  }
}

/** The provider's error body for a bad request. */
export function errorEnvelope(provider: LlmFakeProvider, status: number, message: string): Json {
  switch (provider) {
    case "openai":
    case "openai-responses":
      return { error: { message, type: "invalid_request_error", param: null, code: null } };
    case "anthropic":
      return { type: "error", error: { type: "invalid_request_error", message } };
    case "gemini":
      return { error: { code: status, message, status: "INVALID_ARGUMENT" } };
    case "vercel-ai":
      return { error: message };
  }
}

export interface CompleteReplyInput {
  model: string;
  text: string;
  promptTokens: number;
  createdSeconds: number;
}

/** The whole reply at once, for a request that did not ask to stream. */
export function completeReply(provider: LlmFakeProvider, input: CompleteReplyInput): Json {
  const { model, text, promptTokens } = input;
  const outputTokens = tokenizeWordish(text).length;
  const totalTokens = promptTokens + outputTokens;
  switch (provider) {
    case "vercel-ai":
      // useChat always streams; this is the UI message the stream assembles to.
      return { id: "msg-fake", role: "assistant", parts: [{ type: "text", text }] };
    case "openai":
      return {
        id: "chatcmpl-fake",
        object: "chat.completion",
        created: input.createdSeconds,
        model,
        choices: [
          { index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" },
        ],
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: outputTokens,
          total_tokens: totalTokens,
        },
      };
    case "openai-responses":
      return {
        id: "resp_fake",
        object: "response",
        created_at: input.createdSeconds,
        status: "completed",
        model,
        output: [
          {
            id: "msg_fake",
            type: "message",
            status: "completed",
            role: "assistant",
            content: [{ type: "output_text", text, annotations: [] }],
          },
        ],
        output_text: text,
        usage: {
          input_tokens: promptTokens,
          output_tokens: outputTokens,
          total_tokens: totalTokens,
        },
      };
    case "anthropic":
      return {
        id: "msg_fake",
        type: "message",
        role: "assistant",
        model,
        content: [{ type: "text", text }],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: { input_tokens: promptTokens, output_tokens: outputTokens },
      };
    case "gemini":
      return {
        candidates: [
          { content: { parts: [{ text }], role: "model" }, finishReason: "STOP", index: 0 },
        ],
        usageMetadata: {
          promptTokenCount: promptTokens,
          candidatesTokenCount: outputTokens,
          totalTokenCount: totalTokens,
        },
        modelVersion: model,
      };
  }
}
