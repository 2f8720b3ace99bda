import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import type { LlmSummary } from "../../../src/listen/llm/assembler.js";
import { formatLlmFooter } from "../../../src/listen/llm/footer.js";
import { LlmStreamView } from "../../../src/listen/llm/view.js";

const plain = new Chalk({ level: 0 });

describe("LlmStreamView", () => {
  it("answer text on stdout exactly; reasoning and tool calls apart on stderr", () => {
    const view = new LlmStreamView({ stderrChalk: plain, stdoutIsTerminal: false });
    const parts = [
      view.render([{ kind: "reasoning", text: "think" }]),
      view.render([{ kind: "reasoning", text: "ing" }]),
      view.render([{ kind: "text", text: "Hello" }]),
      view.render([{ kind: "text", text: " \u001b[2Jworld" }]),
      view.render([
        { kind: "tool-start", index: 0, name: "f" },
        { kind: "tool-args", index: 0, text: '{"a":1}' },
      ]),
      view.finish(),
    ];
    expect(parts.map((p) => p.stdout).join("")).toBe("Hello \u001b[2Jworld");
    expect(parts.map((p) => p.stderr).join("")).toBe(
      'reasoning: thinking\n\ntool call f: {"a":1}\n',
    );
  });

  it("escapes control characters when stdout is a terminal; the open line ends on stderr", () => {
    const view = new LlmStreamView({ stderrChalk: plain, stdoutIsTerminal: true });
    const out = view.render([{ kind: "text", text: "a\u001b[2Jb" }]);
    expect(out.stdout).toBe("a\\x1b[2Jb");
    expect(view.finish()).toEqual({ stdout: "", stderr: "\n" });
  });

  it("a refusal, a block and warnings go to stderr, escaped; stdout keeps only the answer", () => {
    const view = new LlmStreamView({ stderrChalk: plain, stdoutIsTerminal: false });
    const parts = [
      view.render([{ kind: "text", text: "Partial" }]),
      view.render([{ kind: "refusal", text: "I can't \u001b]0;x\u0007help." }]),
      view.render([{ kind: "blocked", reason: "SAFETY\u001b[2J" }]),
      view.render([{ kind: "warning", message: "a part this view does not show: \u001b[31mx" }]),
      view.finish(),
    ];
    expect(parts.map((p) => p.stdout).join("")).toBe("Partial");
    expect(parts.map((p) => p.stderr).join("")).toBe(
      "\nrefusal: I can't \\x1b]0;x\\x07help.\n" +
        "llm: blocked by the provider: SAFETY\\x1b[2J\n" +
        "llm: warning: a part this view does not show: \\x1b[31mx\n",
    );
  });

  it("dims reasoning when stderr has colour", () => {
    const view = new LlmStreamView({
      stderrChalk: new Chalk({ level: 1 }),
      stdoutIsTerminal: false,
    });
    expect(view.render([{ kind: "reasoning", text: "x" }]).stderr).toContain("\u001b[2m");
  });
});

describe("formatLlmFooter", () => {
  const summary: LlmSummary = {
    format: "anthropic",
    text: "hi",
    reasoning: "",
    refusal: "",
    toolCalls: [],
    usage: { inputTokens: 3, outputTokens: 5, totalTokens: 8, raw: {} },
    stopReason: "end_turn",
    complete: true,
    errors: [],
    warnings: [],
    timings: {
      firstTokenMs: 412,
      totalMs: 2310,
      chunks: 57,
      chunksPerSecond: 30,
      outputTokensPerSecond: 41.25,
      gaps: { count: 56, p50Ms: 28, p95Ms: 45.5, maxMs: 1210 },
      stalls: {
        thresholdMs: 1000,
        count: 1,
        list: [
          { startMs: 900, gapMs: 1210, answerChars: 42, section: "text", before: "brown fox" },
        ],
      },
    },
  };

  it("timings with tokens per second, gaps and stalls placed in the answer, usage, stop", () => {
    expect(formatLlmFooter(summary)).toEqual([
      "llm: Anthropic messages · first token 412 ms · total 2.31 s · 57 chunks · 41.3 tokens/s",
      "llm: gaps p50 28 ms · p95 46 ms · max 1.21 s · 1 stall over 1.00 s",
      'llm: stall 1.21 s at 900 ms, after 42 answer characters ("…brown fox")',
      "llm: usage: 3 in, 5 out, 8 total tokens · stop: end_turn",
    ]);
  });

  it("chunks per second, labelled, when the stream reported no usage", () => {
    const noUsage = {
      ...summary,
      usage: undefined,
      timings: { ...summary.timings, outputTokensPerSecond: undefined },
    };
    expect(formatLlmFooter(noUsage)[0]).toBe(
      "llm: Anthropic messages · first token 412 ms · total 2.31 s · 57 chunks · 30.0 chunks/s (no token usage reported)",
    );
  });

  it("says what makes the reply less than a success, escaping what the server sent", () => {
    const lines = formatLlmFooter({
      ...summary,
      refusal: "no",
      blocked: "SAFETY\u001b[2J",
      stopReason: "stop\u001b]0;t\u0007",
      errors: ["overloaded\u001b[31m"],
      warnings: ["a", "b"],
      complete: false,
    });
    expect(lines.slice(3)).toEqual([
      "llm: usage: 3 in, 5 out, 8 total tokens · stop: stop\\x1b]0;t\\x07",
      "llm: the model refused (the refusal is shown above)",
      "llm: blocked by the provider: SAFETY\\x1b[2J",
      "llm: provider error: overloaded\\x1b[31m",
      "llm: 2 warnings (shown above): not a clean reply",
      "llm: the stream stopped before its end marker",
    ]);
    expect(lines.join("\n")).not.toContain("\u001b");
  });

  it("a stall's context is escaped too", () => {
    const stall = {
      startMs: 1,
      gapMs: 2000,
      answerChars: 3,
      section: "text" as const,
      before: "\u001b[2J",
    };
    const lines = formatLlmFooter({
      ...summary,
      timings: { ...summary.timings, stalls: { thresholdMs: 1000, count: 1, list: [stall] } },
    });
    expect(lines[2]).toBe('llm: stall 2.00 s at 1 ms, after 3 answer characters ("…\\x1b[2J")');
  });
});
