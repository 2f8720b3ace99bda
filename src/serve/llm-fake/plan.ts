/**
 * A reply made ready to send: its pieces cut into tokens, its ids and usage settled, so each
 * provider's wire format (wire/) only lays them out. Pure.
 */
import type { OutgoingEvent } from "../../sse/encoder.js";
import type { LlmFakeReply } from "./script.js";

/** An event as a wire format lists it: `token` marks the events that carry one token each. */
export interface PlannedEvent {
  event: OutgoingEvent;
  token?: boolean;
}

export interface PlannedToolCall {
  id: string;
  name: string;
  /** The arguments as JSON text, and that text in the pieces streamed. */
  argumentsJson: string;
  argumentPieces: string[];
  arguments: Record<string, unknown>;
}

export interface ReplyPlan {
  model: string;
  /** Unix time in seconds for `created` fields. */
  created: number;
  /** Makes ids differ between requests. */
  idSuffix: string;
  reasoning: string[];
  text: string[];
  refusal: string[];
  toolCalls: PlannedToolCall[];
  inputTokens: number;
  outputTokens: number;
  /** OpenAI chat only: send the usage chunk (as with `stream_options.include_usage`). */
  includeUsage: boolean;
  /** True when the script gave the usage: formats without a usage field of their own add one. */
  usageGiven: boolean;
}

export interface PlanContext {
  model: string;
  promptTokens: number;
  created: number;
  idSuffix: string;
  includeUsage: boolean;
}

/**
 * Splits text into word-ish tokens as providers do: a word with the whitespace before it, or
 * one punctuation mark. Joining the tokens gives the text back exactly.
 */
export function tokenizeWordish(text: string): string[] {
  return text.match(/\s*[\p{L}\p{N}_']+|\s*[^\s\p{L}\p{N}_']|\s+/gu) ?? [];
}

/** A rough prompt size for the usage block: about four characters per token. */
export function estimateTokens(characters: number): number {
  return Math.max(1, Math.ceil(characters / 4));
}

/** Tool arguments go out in pieces of this many characters, as providers cut them. */
const argumentPieceChars = 12;

function pieces(text: string): string[] {
  const out: string[] = [];
  // Cut between code points, so no piece holds half a surrogate pair.
  const points = Array.from(text);
  for (let i = 0; i < points.length; i += argumentPieceChars) {
    out.push(points.slice(i, i + argumentPieceChars).join(""));
  }
  return out;
}

export function planReply(reply: LlmFakeReply, context: PlanContext): ReplyPlan {
  const reasoning = tokenizeWordish(reply.reasoning ?? "");
  const text = tokenizeWordish(reply.text ?? "");
  const refusal = tokenizeWordish(reply.refusal ?? "");
  const toolCalls = (reply.toolCalls ?? []).map((call, i): PlannedToolCall => {
    const args = call.arguments ?? {};
    const argumentsJson = JSON.stringify(args);
    return {
      id: call.id ?? `call_${i + 1}${context.idSuffix ? `_${context.idSuffix}` : ""}`,
      name: call.name,
      argumentsJson,
      argumentPieces: pieces(argumentsJson),
      arguments: args,
    };
  });
  const streamed =
    reasoning.length +
    text.length +
    refusal.length +
    toolCalls.reduce((sum, call) => sum + call.argumentPieces.length, 0);
  return {
    model: context.model,
    created: context.created,
    idSuffix: context.idSuffix,
    reasoning,
    text,
    refusal,
    toolCalls,
    inputTokens: reply.usage?.inputTokens ?? context.promptTokens,
    outputTokens: reply.usage?.outputTokens ?? streamed,
    includeUsage: context.includeUsage,
    usageGiven: reply.usage !== undefined,
  };
}

export const joined = (tokens: readonly string[]): string => tokens.join("");

export const json = (value: unknown): string => JSON.stringify(value);
