/**
 * Google Gemini (`:streamGenerateContent`, `:generateContent`): every chunk a whole
 * GenerateContentResponse with the usage so far; reasoning as parts with `thought: true`, each
 * function call whole in a part of its own; the last chunk names the `finishReason` (`SAFETY`
 * for a refusal: Gemini has no refusal field). An error mid-stream is a chunk
 * `{"error":{code,message,status}}`. Pure.
 */
import { joined, json, type PlannedEvent, type ReplyPlan } from "../plan.js";
import type { Json, WireFormat } from "./format.js";

function finishReason(plan: ReplyPlan): string {
  return plan.refusal.length > 0 ? "SAFETY" : "STOP";
}

function chunk(plan: ReplyPlan, parts: Json[], sent: number, finish?: string): Json {
  const candidate: Json = { content: { parts, role: "model" }, index: 0 };
  if (finish !== undefined) candidate.finishReason = finish;
  return {
    candidates: [candidate],
    usageMetadata: {
      promptTokenCount: plan.inputTokens,
      candidatesTokenCount: sent,
      totalTokenCount: plan.inputTokens + sent,
    },
    modelVersion: plan.model,
    responseId: `fake${plan.idSuffix}`,
  };
}

function functionCallPart(call: ReplyPlan["toolCalls"][number]): Json {
  return { functionCall: { id: call.id, name: call.name, args: call.arguments } };
}

function stream(plan: ReplyPlan): PlannedEvent[] {
  const parts: Json[] = [
    ...plan.reasoning.map((text) => ({ text, thought: true })),
    ...[...plan.text, ...plan.refusal].map((text) => ({ text })),
    ...plan.toolCalls.map(functionCallPart),
  ];
  if (parts.length === 0) {
    return [{ event: { data: json(chunk(plan, [{ text: "" }], 0, finishReason(plan))) } }];
  }
  let sent = 0;
  return parts.map((part, i) => {
    const last = i === parts.length - 1;
    // A whole function call counts as its argument pieces did when streamed elsewhere.
    const call = part.functionCall as Json | undefined;
    sent += call ? plan.toolCalls.find((c) => c.id === call.id)!.argumentPieces.length : 1;
    const count = last ? plan.outputTokens : sent;
    return {
      event: { data: json(chunk(plan, [part], count, last ? finishReason(plan) : undefined)) },
      token: true,
    };
  });
}

function complete(plan: ReplyPlan): Json {
  const parts: Json[] = [];
  if (plan.reasoning.length > 0) parts.push({ text: joined(plan.reasoning), thought: true });
  const text = joined(plan.text) + joined(plan.refusal);
  if (text !== "" || plan.toolCalls.length === 0) parts.push({ text });
  parts.push(...plan.toolCalls.map(functionCallPart));
  return chunk(plan, parts, plan.outputTokens, finishReason(plan));
}

const statusNames: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

function errorBody(status: number, message: string): Json {
  const name = statusNames[status] ?? (status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT");
  return { error: { code: status, message, status: name } };
}

export const geminiWire: WireFormat = {
  stream,
  streamError: (_plan, message) => [{ data: json(errorBody(500, message)) }],
  complete,
  errorBody,
};
