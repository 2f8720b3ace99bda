/**
 * Cohere chat v2 (`POST /v2/chat`): events named by their `type`; content blocks for
 * reasoning (`thinking`) and text, tool calls with their arguments in pieces, and
 * `message-end` with the finish reason and usage. Cohere has no refusal field: a refusal is
 * text. A generation that fails mid-stream ends with `finish_reason: "ERROR"` and its `error`.
 * Pure.
 */
import type { OutgoingEvent } from "../../../sse/encoder.js";
import { joined, json, type PlannedEvent, type ReplyPlan } from "../plan.js";
import type { Json, WireFormat } from "./format.js";

function named(type: string, body: Json): OutgoingEvent {
  return { event: type, data: json({ type, ...body }) };
}

const message = (value: Json): Json => ({ delta: { message: value } });

function usage(plan: ReplyPlan): Json {
  const counts = { input_tokens: plan.inputTokens, output_tokens: plan.outputTokens };
  return { billed_units: counts, tokens: counts };
}

function finishReason(plan: ReplyPlan): string {
  return plan.toolCalls.length > 0 ? "TOOL_CALL" : "COMPLETE";
}

function stream(plan: ReplyPlan): PlannedEvent[] {
  const events: PlannedEvent[] = [
    {
      event: named("message-start", {
        id: `fake${plan.idSuffix}`,
        ...message({
          role: "assistant",
          content: [],
          tool_plan: "",
          tool_calls: [],
          citations: [],
        }),
      }),
    },
  ];
  let index = 0;
  const block = (kind: "thinking" | "text", tokens: string[]) => {
    events.push({
      event: named("content-start", { index, ...message({ content: { type: kind, [kind]: "" } }) }),
    });
    for (const token of tokens) {
      events.push({
        event: named("content-delta", { index, ...message({ content: { [kind]: token } }) }),
        token: true,
      });
    }
    events.push({ event: named("content-end", { index }) });
    index++;
  };
  if (plan.reasoning.length > 0) block("thinking", plan.reasoning);
  const text = [...plan.text, ...plan.refusal];
  if (text.length > 0 || plan.toolCalls.length === 0) block("text", text);
  plan.toolCalls.forEach((call, i) => {
    const opening = { id: call.id, type: "function", function: { name: call.name, arguments: "" } };
    events.push({
      event: named("tool-call-start", { index: i, ...message({ tool_calls: opening }) }),
    });
    for (const piece of call.argumentPieces) {
      events.push({
        event: named("tool-call-delta", {
          index: i,
          ...message({ tool_calls: { function: { arguments: piece } } }),
        }),
        token: true,
      });
    }
    events.push({ event: named("tool-call-end", { index: i }) });
  });
  events.push({
    event: named("message-end", {
      delta: { finish_reason: finishReason(plan), usage: usage(plan) },
    }),
  });
  return events;
}

function complete(plan: ReplyPlan): Json {
  const content: Json[] = [];
  if (plan.reasoning.length > 0)
    content.push({ type: "thinking", thinking: joined(plan.reasoning) });
  const text = joined(plan.text) + joined(plan.refusal);
  if (text !== "" || plan.toolCalls.length === 0) content.push({ type: "text", text });
  const reply: Json = { role: "assistant", content };
  if (plan.toolCalls.length > 0) {
    reply.tool_calls = plan.toolCalls.map((call) => ({
      id: call.id,
      type: "function",
      function: { name: call.name, arguments: call.argumentsJson },
    }));
  }
  return {
    id: `fake${plan.idSuffix}`,
    finish_reason: finishReason(plan),
    message: reply,
    usage: usage(plan),
  };
}

export const cohereWire: WireFormat = {
  stream,
  streamError: (plan, message) => [
    named("message-end", {
      delta: { finish_reason: "ERROR", error: message, usage: usage(plan) },
    }),
  ],
  complete,
  errorBody: (_status, message) => ({ id: "fake-error", message }),
};
