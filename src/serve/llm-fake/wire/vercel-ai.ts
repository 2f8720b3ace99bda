/**
 * The Vercel AI SDK UI message stream (`POST /api/chat`, what `useChat` reads): typed
 * data-only events, a start/delta/end triple per text and reasoning part, tool calls as
 * `tool-input-start`, `tool-input-delta` pieces and `tool-input-available`, then `finish` and
 * `[DONE]`. The protocol has no usage or refusal of its own: a usage the script gives goes in
 * `finish`'s `messageMetadata` (AI SDK names), a refusal is text. An error mid-stream is an
 * `error` event with `errorText`. Pure.
 */
import type { OutgoingEvent } from "../../../sse/encoder.js";
import { joined, json, type PlannedEvent, type ReplyPlan } from "../plan.js";
import type { Json, WireFormat } from "./format.js";

const data = (value: Json): OutgoingEvent => ({ data: json(value) });

function finish(plan: ReplyPlan): Json {
  const body: Json = {
    type: "finish",
    finishReason: plan.toolCalls.length > 0 ? "tool-calls" : "stop",
  };
  if (plan.usageGiven) {
    body.messageMetadata = {
      usage: {
        inputTokens: plan.inputTokens,
        outputTokens: plan.outputTokens,
        totalTokens: plan.inputTokens + plan.outputTokens,
      },
    };
  }
  return body;
}

function stream(plan: ReplyPlan): PlannedEvent[] {
  const suffix = plan.idSuffix;
  const events: PlannedEvent[] = [
    { event: data({ type: "start", messageId: `msg-fake${suffix}` }) },
    { event: data({ type: "start-step" }) },
  ];
  const part = (kind: "reasoning" | "text", tokens: string[]) => {
    const id = `${kind}-fake${suffix}`;
    events.push({ event: data({ type: `${kind}-start`, id }) });
    for (const delta of tokens) {
      events.push({ event: data({ type: `${kind}-delta`, id, delta }), token: true });
    }
    events.push({ event: data({ type: `${kind}-end`, id }) });
  };
  if (plan.reasoning.length > 0) part("reasoning", plan.reasoning);
  const text = [...plan.text, ...plan.refusal];
  if (text.length > 0 || plan.toolCalls.length === 0) part("text", text);
  for (const call of plan.toolCalls) {
    const at = { toolCallId: call.id };
    events.push({ event: data({ type: "tool-input-start", ...at, toolName: call.name }) });
    for (const inputTextDelta of call.argumentPieces) {
      events.push({
        event: data({ type: "tool-input-delta", ...at, inputTextDelta }),
        token: true,
      });
    }
    events.push({
      event: data({
        type: "tool-input-available",
        ...at,
        toolName: call.name,
        input: call.arguments,
      }),
    });
  }
  events.push(
    { event: data({ type: "finish-step" }) },
    { event: data(finish(plan)) },
    { event: { data: "[DONE]" } },
  );
  return events;
}

/** useChat always streams; this is the UI message the stream assembles to. */
function complete(plan: ReplyPlan): Json {
  const parts: Json[] = [];
  if (plan.reasoning.length > 0) {
    parts.push({ type: "reasoning", text: joined(plan.reasoning), state: "done" });
  }
  const text = joined(plan.text) + joined(plan.refusal);
  if (text !== "" || plan.toolCalls.length === 0) parts.push({ type: "text", text, state: "done" });
  for (const call of plan.toolCalls) {
    parts.push({
      type: `tool-${call.name}`,
      toolCallId: call.id,
      state: "input-available",
      input: call.arguments,
    });
  }
  return { id: `msg-fake${plan.idSuffix}`, role: "assistant", parts };
}

export const vercelAiWire: WireFormat = {
  stream,
  streamError: (_plan, errorText) => [data({ type: "error", errorText })],
  complete,
  errorBody: (_status, message) => ({ error: message }),
};
