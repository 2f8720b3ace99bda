/**
 * A scripted reply turned into the SSE events a provider would stream for it, with pacing,
 * a mid-stream error and a malformed chunk where the script puts them. Pure: the route sends
 * the steps; tests check them directly.
 */
import { type FakeStreamStep, type PaceSettings, pace, seededRandom } from "./pace.js";
import { type PlanContext, type PlannedEvent, planReply, type ReplyPlan } from "./plan.js";
import type { LlmFakeProvider } from "./providers.js";
import {
  defaultFirstTokenDelayMs,
  defaultTokenDelayMs,
  type LlmFakePace,
  type LlmFakeReply,
  type LlmFakeStall,
} from "./script.js";
import { wireFormats } from "./wire/formats.js";

export type { FakeStreamStep } from "./pace.js";
export { estimateTokens, tokenizeWordish } from "./plan.js";
export type { LlmFakeProvider } from "./providers.js";
export type { LlmFakeStall } from "./script.js";
export { defaultFirstTokenDelayMs, defaultTokenDelayMs } from "./script.js";

export interface LlmFakeOptions {
  /** Model name echoed in the chunks. */
  model?: string;
  /** Prompt size reported in the usage block. */
  promptTokens?: number;
  /** Pause before the first token (the model "thinking"). Default 250 ms. */
  firstTokenDelayMs?: number;
  /** Pause between tokens. Default 30 ms (about 33 tokens/s, a typical hosted model). */
  tokenDelayMs?: number;
  /** Extra pauses at given token positions (for testing spinners and stall reports). */
  stalls?: readonly LlmFakeStall[];
  /** OpenAI chat only: send the usage chunk (as with `stream_options.include_usage`). */
  includeUsage?: boolean;
  /** Unix time in seconds for `created` fields. */
  createdSeconds?: number;
  /** Suffix for the response id, so ids differ between requests. */
  idSuffix?: string;
}

/** A plain text reply's steps (what `serve --llm-fake` streams for its input text). */
export function llmFakeSteps(
  text: string,
  provider: LlmFakeProvider,
  options: LlmFakeOptions = {},
): FakeStreamStep[] {
  return replySteps({ text }, provider, planContext(options), {
    firstTokenDelayMs: options.firstTokenDelayMs ?? defaultFirstTokenDelayMs,
    tokenDelayMs: options.tokenDelayMs ?? defaultTokenDelayMs,
    jitterMs: 0,
    stalls: options.stalls ?? [],
    random: seededRandom(1),
  });
}

export function planContext(options: LlmFakeOptions): PlanContext {
  return {
    model: options.model ?? "sse-tool-fake",
    promptTokens: options.promptTokens ?? 0,
    created: options.createdSeconds ?? 0,
    idSuffix: options.idSuffix ?? "",
    includeUsage: options.includeUsage ?? true,
  };
}

/** The settings for a pace the script wrote (its fields all optional). */
export function paceSettings(pace: LlmFakePace, seed: number): PaceSettings {
  return {
    firstTokenDelayMs: pace.ttftMs ?? defaultFirstTokenDelayMs,
    tokenDelayMs:
      pace.tokensPerSecond === undefined ? defaultTokenDelayMs : 1000 / pace.tokensPerSecond,
    jitterMs: pace.jitterMs ?? 0,
    stalls: pace.stalls ?? [],
    random: seededRandom(seed),
  };
}

/** The steps of one reply, at the pace given. */
export function replySteps(
  reply: LlmFakeReply,
  provider: LlmFakeProvider,
  context: PlanContext,
  settings: PaceSettings,
): FakeStreamStep[] {
  const plan = planReply(reply, context);
  const wire = wireFormats[provider];
  let planned = wire.stream(plan);
  if (reply.malformed !== undefined) {
    planned = withMalformed(planned, reply.malformed.afterTokens ?? 0);
  }
  if (reply.error !== undefined) {
    planned = cutWithError(planned, plan, provider, reply.error);
  }
  return pace(planned, settings);
}

/** Where "after n tokens" falls: the index of the event that follows the n-th token event. */
function afterTokensIndex(planned: PlannedEvent[], afterTokens: number): number {
  let seen = 0;
  for (const [i, item] of planned.entries()) {
    if (!item.token) continue;
    if (seen === afterTokens) return i;
    seen++;
  }
  // Past the last token: right after it (before the closing events).
  const last = planned.findLastIndex((item) => item.token);
  return last === -1 ? Math.min(1, planned.length) : last + 1;
}

/** A chunk cut halfway through its JSON, as a broken proxy or server might send. */
function withMalformed(planned: PlannedEvent[], afterTokens: number): PlannedEvent[] {
  const at = afterTokensIndex(planned, afterTokens);
  const model = planned[at]?.event ?? planned[at - 1]?.event ?? { data: "{}" };
  const data = model.data ?? "{}";
  const broken = { ...model, data: data.slice(0, Math.max(1, Math.floor(data.length / 2))) };
  return [...planned.slice(0, at), { event: broken }, ...planned.slice(at)];
}

function cutWithError(
  planned: PlannedEvent[],
  plan: ReplyPlan,
  provider: LlmFakeProvider,
  error: { message: string; afterTokens?: number },
): PlannedEvent[] {
  const at = afterTokensIndex(planned, error.afterTokens ?? Number.POSITIVE_INFINITY);
  const events = wireFormats[provider].streamError(plan, error.message);
  return [...planned.slice(0, at), ...events.map((event) => ({ event }))];
}
