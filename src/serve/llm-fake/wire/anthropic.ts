/**
 * Anthropic Messages (`POST /v1/messages`): each event named, the name repeated as the JSON's
 * `type`; one content block per part of the reply (thinking, text, tool_use with its input as
 * `input_json_delta` pieces); a refusal is text with `stop_reason: "refusal"`. An error
 * mid-stream is an `error` event. Pure.
 */
import type { OutgoingEvent } from "../../../sse/encoder.js";
import { joined, json, type PlannedEvent, type ReplyPlan } from "../plan.js";
import type { Json, WireFormat } from "./format.js";

function named(type: string, body: Json): OutgoingEvent {
  return { event: type, data: json({ type, ...body }) };
}

function stopReason(plan: ReplyPlan): string {
  if (plan.refusal.length > 0) return "refusal";
  return plan.toolCalls.length > 0 ? "tool_use" : "end_turn";
}

/** The blocks of the finished message, in order. */
function contentBlocks(plan: ReplyPlan): Json[] {
  const blocks: Json[] = [];
  if (plan.reasoning.length > 0) {
    blocks.push({ type: "thinking", thinking: joined(plan.reasoning), signature: "fake" });
  }
  const text = joined(plan.text) + joined(plan.refusal);
  if (text !== "" || (plan.reasoning.length === 0 && plan.toolCalls.length === 0)) {
    blocks.push({ type: "text", text });
  }
  for (const call of plan.toolCalls) {
    blocks.push({ type: "tool_use", id: call.id, name: call.name, input: call.arguments });
  }
  return blocks;
}

function blockEvents(block: Json, index: number, plan: ReplyPlan): PlannedEvent[] {
  const events: PlannedEvent[] = [];
  const delta = (body: Json, token = true) =>
    events.push({ event: named("content_block_delta", { index, delta: body }), token });
  if (block.type === "thinking") {
    events.push({
      event: named("content_block_start", {
        index,
        content_block: { type: "thinking", thinking: "", signature: "" },
      }),
    });
    for (const token of plan.reasoning) delta({ type: "thinking_delta", thinking: token });
    delta({ type: "signature_delta", signature: "fake" }, false);
  } else if (block.type === "text") {
    events.push({
      event: named("content_block_start", { index, content_block: { type: "text", text: "" } }),
    });
    for (const token of [...plan.text, ...plan.refusal]) delta({ type: "text_delta", text: token });
  } else {
    const call = plan.toolCalls.find((candidate) => candidate.id === block.id)!;
    events.push({
      event: named("content_block_start", {
        index,
        content_block: { type: "tool_use", id: call.id, name: call.name, input: {} },
      }),
    });
    for (const piece of call.argumentPieces) {
      delta({ type: "input_json_delta", partial_json: piece });
    }
  }
  events.push({ event: named("content_block_stop", { index }) });
  return events;
}

function stream(plan: ReplyPlan): PlannedEvent[] {
  const blocks = contentBlocks(plan).flatMap((block, index) => blockEvents(block, index, plan));
  return [
    {
      event: named("message_start", {
        message: {
          id: `msg_fake${plan.idSuffix}`,
          type: "message",
          role: "assistant",
          model: plan.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: plan.inputTokens, output_tokens: 1 },
        },
      }),
    },
    // The API sends a ping after the first block opens.
    ...blocks.slice(0, 1),
    { event: named("ping", {}) },
    ...blocks.slice(1),
    {
      event: named("message_delta", {
        delta: { stop_reason: stopReason(plan), stop_sequence: null },
        usage: { output_tokens: plan.outputTokens },
      }),
    },
    { event: named("message_stop", {}) },
  ];
}

function complete(plan: ReplyPlan): Json {
  return {
    id: `msg_fake${plan.idSuffix}`,
    type: "message",
    role: "assistant",
    model: plan.model,
    content: contentBlocks(plan),
    stop_reason: stopReason(plan),
    stop_sequence: null,
    usage: { input_tokens: plan.inputTokens, output_tokens: plan.outputTokens },
  };
}

function errorType(status: number): string {
  const byStatus: Record<number, string> = {
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    529: "overloaded_error",
  };
  return byStatus[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
}

export const anthropicWire: WireFormat = {
  stream,
  streamError: (_plan, message) => [named("error", { error: { type: "api_error", message } })],
  complete,
  errorBody: (status, message) => ({
    type: "error",
    error: { type: errorType(status), message },
  }),
};
