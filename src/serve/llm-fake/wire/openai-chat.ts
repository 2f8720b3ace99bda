/**
 * OpenAI Chat Completions (`POST /v1/chat/completions`): `chat.completion.chunk` objects, the
 * tool calls' arguments in pieces under their `index`, an optional usage chunk, then
 * `data: [DONE]`. An error mid-stream is a chunk `{"error":{…}}` (what the SDK throws on). Pure.
 */
import type { OutgoingEvent } from "../../../sse/encoder.js";
import { joined, json, type PlannedEvent, type ReplyPlan } from "../plan.js";
import { type Json, statusKind, type WireFormat } from "./format.js";

function finishReason(plan: ReplyPlan): string {
  return plan.toolCalls.length > 0 ? "tool_calls" : "stop";
}

function usage(plan: ReplyPlan): Json {
  return {
    prompt_tokens: plan.inputTokens,
    completion_tokens: plan.outputTokens,
    total_tokens: plan.inputTokens + plan.outputTokens,
  };
}

function stream(plan: ReplyPlan): PlannedEvent[] {
  const { model, created } = plan;
  const id = `chatcmpl-fake${plan.idSuffix}`;
  const chunk = (delta: Json, finish: string | null): OutgoingEvent => ({
    data: json({
      id,
      object: "chat.completion.chunk",
      created,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    }),
  });
  const events: PlannedEvent[] = [{ event: chunk({ role: "assistant", content: "" }, null) }];
  const each = (tokens: string[], delta: (token: string) => Json) => {
    for (const token of tokens) events.push({ event: chunk(delta(token), null), token: true });
  };
  // Reasoning as vLLM, DeepSeek and xAI stream it beside the content.
  each(plan.reasoning, (token) => ({ reasoning_content: token }));
  each(plan.text, (token) => ({ content: token }));
  each(plan.refusal, (token) => ({ refusal: token }));
  plan.toolCalls.forEach((call, index) => {
    const opening = { index, id: call.id, type: "function", function: { name: call.name } };
    call.argumentPieces.forEach((piece, i) => {
      const toolCall =
        i === 0
          ? { ...opening, function: { name: call.name, arguments: piece } }
          : { index, function: { arguments: piece } };
      events.push({ event: chunk({ tool_calls: [toolCall] }, null), token: true });
    });
  });
  events.push({ event: chunk({}, finishReason(plan)) });
  if (plan.includeUsage) {
    events.push({
      event: {
        data: json({
          id,
          object: "chat.completion.chunk",
          created,
          model,
          choices: [],
          usage: usage(plan),
        }),
      },
    });
  }
  events.push({ event: { data: "[DONE]" } });
  return events;
}

function complete(plan: ReplyPlan): Json {
  const message: Json = {
    role: "assistant",
    content: plan.text.length > 0 || plan.toolCalls.length === 0 ? joined(plan.text) : null,
    refusal: plan.refusal.length > 0 ? joined(plan.refusal) : null,
  };
  if (plan.reasoning.length > 0) message.reasoning_content = joined(plan.reasoning);
  if (plan.toolCalls.length > 0) {
    message.tool_calls = plan.toolCalls.map((call) => ({
      id: call.id,
      type: "function",
      function: { name: call.name, arguments: call.argumentsJson },
    }));
  }
  return {
    id: `chatcmpl-fake${plan.idSuffix}`,
    object: "chat.completion",
    created: plan.created,
    model: plan.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(plan) }],
    usage: usage(plan),
  };
}

/** OpenAI's error object, shared by Chat Completions and Responses. */
export function openAiError(status: number, message: string): Json {
  const [type, code] = {
    auth: ["invalid_request_error", "invalid_api_key"],
    "not-found": ["invalid_request_error", "model_not_found"],
    rate: ["requests", "rate_limit_exceeded"],
    overloaded: ["server_error", "server_overloaded"],
    server: ["server_error", null],
    request: ["invalid_request_error", null],
  }[statusKind(status)];
  return { error: { message, type, param: null, code } };
}

export const openAiChatWire: WireFormat = {
  stream,
  streamError: (_plan, message) => [{ data: json(openAiError(500, message)) }],
  complete,
  errorBody: openAiError,
};
