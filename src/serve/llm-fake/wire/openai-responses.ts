/**
 * The OpenAI Responses API (`POST /v1/responses`): named events, each JSON repeating its type
 * with a sequence number; one output item per part of the reply (reasoning summary, message
 * with its text and refusal parts, function calls), then `response.completed` with the usage.
 * An error mid-stream is an `error` event. Pure.
 */
import type { OutgoingEvent } from "../../../sse/encoder.js";
import { joined, json, type PlannedEvent, type ReplyPlan } from "../plan.js";
import type { Json, WireFormat } from "./format.js";
import { openAiError } from "./openai-chat.js";

/** The finished output items, as `response.completed` and the whole reply list them. */
function outputItems(plan: ReplyPlan): Json[] {
  const items: Json[] = [];
  const suffix = plan.idSuffix;
  if (plan.reasoning.length > 0) {
    items.push({
      id: `rs_fake${suffix}`,
      type: "reasoning",
      summary: [{ type: "summary_text", text: joined(plan.reasoning) }],
    });
  }
  const content: Json[] = [];
  if (plan.text.length > 0 || (plan.refusal.length === 0 && plan.toolCalls.length === 0)) {
    content.push({ type: "output_text", text: joined(plan.text), annotations: [] });
  }
  if (plan.refusal.length > 0) content.push({ type: "refusal", refusal: joined(plan.refusal) });
  if (content.length > 0) {
    items.push({
      id: `msg_fake${suffix}`,
      type: "message",
      status: "completed",
      role: "assistant",
      content,
    });
  }
  for (const call of plan.toolCalls) {
    items.push({
      id: `fc_${call.id}`,
      type: "function_call",
      status: "completed",
      call_id: call.id,
      name: call.name,
      arguments: call.argumentsJson,
    });
  }
  return items;
}

function usage(plan: ReplyPlan): Json {
  return {
    input_tokens: plan.inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: plan.outputTokens,
    output_tokens_details: { reasoning_tokens: plan.reasoning.length },
    total_tokens: plan.inputTokens + plan.outputTokens,
  };
}

function response(plan: ReplyPlan, status: string, extra: Json = {}): Json {
  return {
    id: `resp_fake${plan.idSuffix}`,
    object: "response",
    created_at: plan.created,
    status,
    model: plan.model,
    output: [],
    ...extra,
  };
}

/** Streams one output item: added, its parts' events, done. */
function itemEvents(
  item: Json,
  index: number,
  plan: ReplyPlan,
  named: (type: string, body: Json) => OutgoingEvent,
): PlannedEvent[] {
  const events: PlannedEvent[] = [];
  const plain = (type: string, body: Json) => events.push({ event: named(type, body) });
  const tokens = (type: string, list: string[], body: Json) => {
    for (const delta of list) events.push({ event: named(type, { ...body, delta }), token: true });
  };
  const id = item.id as string;
  const opening =
    item.type === "message"
      ? { ...item, status: "in_progress", content: [] }
      : item.type === "reasoning"
        ? { ...item, summary: [] }
        : { ...item, status: "in_progress", arguments: "" };
  plain("response.output_item.added", { output_index: index, item: opening });
  if (item.type === "reasoning") {
    const at = { item_id: id, output_index: index, summary_index: 0 };
    const text = joined(plan.reasoning);
    plain("response.reasoning_summary_part.added", {
      ...at,
      part: { type: "summary_text", text: "" },
    });
    tokens("response.reasoning_summary_text.delta", plan.reasoning, at);
    plain("response.reasoning_summary_text.done", { ...at, text });
    plain("response.reasoning_summary_part.done", { ...at, part: { type: "summary_text", text } });
  } else if (item.type === "message") {
    (item.content as Json[]).forEach((part, contentIndex) => {
      const at = { item_id: id, output_index: index, content_index: contentIndex };
      if (part.type === "refusal") {
        plain("response.content_part.added", { ...at, part: { type: "refusal", refusal: "" } });
        tokens("response.refusal.delta", plan.refusal, at);
        plain("response.refusal.done", { ...at, refusal: part.refusal });
      } else {
        plain("response.content_part.added", { ...at, part: { ...part, text: "" } });
        tokens("response.output_text.delta", plan.text, { ...at, logprobs: [] });
        plain("response.output_text.done", { ...at, text: part.text, logprobs: [] });
      }
      plain("response.content_part.done", { ...at, part });
    });
  } else {
    const call = plan.toolCalls.find((candidate) => candidate.id === item.call_id)!;
    const at = { item_id: id, output_index: index };
    tokens("response.function_call_arguments.delta", call.argumentPieces, at);
    plain("response.function_call_arguments.done", { ...at, arguments: call.argumentsJson });
  }
  plain("response.output_item.done", { output_index: index, item });
  return events;
}

function sequenced(): (type: string, body: Json) => OutgoingEvent {
  let sequence = 0;
  return (type, body) => ({
    event: type,
    data: json({ type, sequence_number: sequence++, ...body }),
  });
}

function stream(plan: ReplyPlan): PlannedEvent[] {
  const named = sequenced();
  const items = outputItems(plan);
  return [
    { event: named("response.created", { response: response(plan, "in_progress") }) },
    { event: named("response.in_progress", { response: response(plan, "in_progress") }) },
    ...items.flatMap((item, index) => itemEvents(item, index, plan, named)),
    {
      event: named("response.completed", {
        response: response(plan, "completed", { output: items, usage: usage(plan) }),
      }),
    },
  ];
}

function complete(plan: ReplyPlan): Json {
  return response(plan, "completed", {
    output: outputItems(plan),
    output_text: joined(plan.text),
    usage: usage(plan),
  });
}

export const openAiResponsesWire: WireFormat = {
  stream,
  // The sequence numbers of an error event go on from the stream's; the SDK does not check.
  streamError: (_plan, message) => [
    {
      event: "error",
      data: json({ type: "error", code: "server_error", message, param: null, sequence_number: 0 }),
    },
  ],
  complete,
  errorBody: openAiError,
};
