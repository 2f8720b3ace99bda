/**
 * Token counts normalised across providers. Pure.
 */
import { boundedCopy, type Json } from "./json-fields.js";
import type { LlmUsage } from "./types.js";

/**
 * A usage block from the counts a provider names; the total is the sum when the provider
 * gives none. `raw` keeps the provider's block, cut to a bounded size.
 */
export function llmUsage(
  raw: Json,
  inputTokens: number | undefined,
  outputTokens: number | undefined,
  totalTokens?: number,
): LlmUsage {
  const sum =
    inputTokens !== undefined && outputTokens !== undefined
      ? inputTokens + outputTokens
      : undefined;
  return { inputTokens, outputTokens, totalTokens: totalTokens ?? sum, raw: boundedCopy(raw) };
}
