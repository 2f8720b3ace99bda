import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import type { LlmSummary } from "../../../src/listen/llm/assembler.js";
import { formatLlmFooter, LlmStreamView } from "../../../src/listen/llm/view.js";

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

  it("escapes control characters when stdout is a terminal, and ends the line there", () => {
    const view = new LlmStreamView({ stderrChalk: plain, stdoutIsTerminal: true });
    const out = view.render([{ kind: "text", text: "a\u001b[2Jb" }]);
    expect(out.stdout).toBe("a\\x1b[2Jb");
    expect(view.finish()).toEqual({ stdout: "\n", stderr: "" });
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
    toolCalls: [],
    usage: { inputTokens: 3, outputTokens: 5, totalTokens: 8, raw: {} },
    stopReason: "end_turn",
    complete: true,
    errors: [],
    timings: { firstTokenMs: 412, totalMs: 2310, chunks: 57, chunksPerSecond: 30 },
  };
  it("timings, usage and stop reason", () => {
    expect(formatLlmFooter(summary)).toEqual([
      "llm: Anthropic messages · first token 412 ms · total 2.31 s · 57 chunks · 30.0 chunks/s",
      "llm: usage: 3 in, 5 out, 8 total tokens · stop: end_turn",
    ]);
  });
  it("says when the end marker never came", () => {
    expect(
      formatLlmFooter({ ...summary, complete: false, usage: undefined, stopReason: undefined }).at(
        -1,
      ),
    ).toBe("llm: the stream stopped before its end marker");
  });
});
