/**
 * The footer `listen --llm` prints on stderr after the reply: format and timings, gaps and
 * stalls, usage, stop reason, tool calls, and anything that makes the reply less than a clean
 * success (refusal, block, provider errors, warnings, no end marker). Pure.
 */
import { escapeForTerminalLine } from "../../terminal/escape.js";
import { formatMs } from "../../terminal/units.js";
import { type LlmSummary, type LlmTimings, llmFormatNames } from "./types.js";

/** Stalls spelled out in the footer; the rest are counted. */
const stallsShown = 3;

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function rateLine(summary: LlmSummary, timed: boolean): string {
  const { timings } = summary;
  const parts = [llmFormatNames[summary.format]];
  if (!timed)
    return `llm: ${parts[0]} · ${timings.chunks} chunks · no timings (the input holds no times)`;
  if (timings.firstTokenMs !== undefined) {
    parts.push(`first token ${formatMs(timings.firstTokenMs)}`);
  }
  parts.push(`total ${formatMs(timings.totalMs)}`, `${timings.chunks} chunks`);
  if (timings.outputTokensPerSecond !== undefined) {
    parts.push(`${timings.outputTokensPerSecond.toFixed(1)} tokens/s`);
  } else if (timings.chunksPerSecond !== undefined) {
    parts.push(`${timings.chunksPerSecond.toFixed(1)} chunks/s (no token usage reported)`);
  }
  return `llm: ${parts.join(" · ")}`;
}

function gapLines(timings: LlmTimings): string[] {
  const lines: string[] = [];
  const { gaps, stalls } = timings;
  if (gaps) {
    const parts = [
      `gaps p50 ${formatMs(gaps.p50Ms)}`,
      `p95 ${formatMs(gaps.p95Ms)}`,
      `max ${formatMs(gaps.maxMs)}`,
      `${plural(stalls.count, "stall")} over ${formatMs(stalls.thresholdMs)}`,
    ];
    lines.push(`llm: ${parts.join(" · ")}`);
  }
  for (const stall of stalls.list.slice(0, stallsShown)) {
    const where =
      stall.answerChars === 0
        ? `before any answer text (in ${stall.section})`
        : `after ${stall.answerChars} answer characters ("…${escapeForTerminalLine(stall.before)}")` +
          (stall.section === "text" ? "" : ` (in ${stall.section})`);
    lines.push(`llm: stall ${formatMs(stall.gapMs)} at ${formatMs(stall.startMs)}, ${where}`);
  }
  if (stalls.count > stallsShown)
    lines.push(`llm: … and ${stalls.count - stallsShown} more stalls`);
  return lines;
}

/** The footer lines (stderr) after an LLM stream; `timed` false leaves the timings out. */
export function formatLlmFooter(summary: LlmSummary, timed = true): string[] {
  const lines = [rateLine(summary, timed), ...(timed ? gapLines(summary.timings) : [])];
  const usageParts: string[] = [];
  const usage = summary.usage;
  if (usage) {
    if (usage.inputTokens !== undefined) usageParts.push(`${usage.inputTokens} in`);
    if (usage.outputTokens !== undefined) usageParts.push(`${usage.outputTokens} out`);
    if (usage.totalTokens !== undefined) usageParts.push(`${usage.totalTokens} total`);
  }
  const tail: string[] = [];
  if (usageParts.length > 0) tail.push(`usage: ${usageParts.join(", ")} tokens`);
  if (summary.stopReason !== undefined) {
    tail.push(`stop: ${escapeForTerminalLine(summary.stopReason)}`);
  }
  if (summary.toolCalls.length > 0) tail.push(`${summary.toolCalls.length} tool call(s)`);
  if (tail.length > 0) lines.push(`llm: ${tail.join(" · ")}`);
  if (summary.refusal !== "") lines.push("llm: the model refused (the refusal is shown above)");
  if (summary.blocked !== undefined) {
    lines.push(`llm: blocked by the provider: ${escapeForTerminalLine(summary.blocked)}`);
  }
  for (const error of summary.errors) {
    lines.push(`llm: provider error: ${escapeForTerminalLine(error)}`);
  }
  if (summary.warnings.length > 0) {
    lines.push(
      `llm: ${plural(summary.warnings.length, "warning")} (shown above): not a clean reply`,
    );
  }
  if (!summary.complete) lines.push("llm: the stream stopped before its end marker");
  return lines;
}
