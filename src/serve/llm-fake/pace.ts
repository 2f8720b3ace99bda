/**
 * The pace of a streamed reply: the opening events at once, the first token after the time to
 * first token, then one token per gap (moved by a seeded jitter), plus any stalls, and the
 * closing events right after the last token. Pure: the jitter's randomness is a seeded
 * generator, so the same seed gives the same gaps.
 */
import type { OutgoingEvent } from "../../sse/encoder.js";
import type { PlannedEvent } from "./plan.js";
import type { LlmFakeStall } from "./script.js";

/** One event to send after waiting `delayMs` since the previous one. */
export interface FakeStreamStep {
  delayMs: number;
  event: OutgoingEvent;
}

export interface PaceSettings {
  firstTokenDelayMs: number;
  tokenDelayMs: number;
  jitterMs: number;
  stalls: readonly LlmFakeStall[];
  /** Numbers in [0, 1), for the jitter. */
  random: () => number;
}

/** mulberry32: a small seeded generator, good enough to scatter gaps reproducibly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pace(planned: PlannedEvent[], settings: PaceSettings): FakeStreamStep[] {
  const { firstTokenDelayMs, tokenDelayMs, jitterMs, random } = settings;
  /** Total stall before token n (n = token count: before the closing events). */
  const stallBefore = new Map<number, number>();
  for (const stall of settings.stalls) {
    stallBefore.set(stall.afterTokens, (stallBefore.get(stall.afterTokens) ?? 0) + stall.ms);
  }
  const tokenCount = planned.filter((item) => item.token).length;
  let tokensSent = 0;
  let closing = false;
  return planned.map(({ event, token }, i): FakeStreamStep => {
    if (token) {
      const jitter = tokensSent > 0 && jitterMs > 0 ? (random() * 2 - 1) * jitterMs : 0;
      const base = tokensSent === 0 ? firstTokenDelayMs : Math.max(0, tokenDelayMs + jitter);
      const delayMs = base + (stallBefore.get(tokensSent) ?? 0);
      tokensSent++;
      return { delayMs, event };
    }
    if (tokenCount === 0) {
      // No tokens: the reply still takes the first-token time, before its first event.
      return { delayMs: i === 0 ? firstTokenDelayMs + (stallBefore.get(0) ?? 0) : 0, event };
    }
    if (tokensSent < tokenCount || closing) return { delayMs: 0, event };
    // The first event after the last token: a stall placed at the end waits here.
    closing = true;
    return { delayMs: stallBefore.get(tokenCount) ?? 0, event };
  });
}
