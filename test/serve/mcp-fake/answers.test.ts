import { describe, expect, it } from "vitest";
import {
  answerMethod,
  chooseRevision,
  initializeResult,
  planToolCall,
  stepNotification,
} from "../../../src/serve/mcp-fake/answers.js";

describe("the MCP fake's answers", () => {
  it.each([
    ["2025-11-25", "2025-11-25"],
    ["2025-06-18", "2025-06-18"],
    ["2025-03-26", "2025-03-26"],
    ["2024-11-05", "2025-11-25"],
    [7, "2025-11-25"],
  ])("a client offering %j is answered in %s", (offered, chosen) => {
    expect(chooseRevision(offered)).toBe(chosen);
  });

  it("declares resources and prompts only when the file has them", () => {
    expect(Object.keys(initializeResult({}, "2025-11-25").capabilities as object)).toEqual([
      "tools",
      "logging",
      "completions",
    ]);
    const both = initializeResult({ resources: [], prompts: [], instructions: "i" }, "x");
    expect(Object.keys(both.capabilities as object)).toEqual([
      "tools",
      "logging",
      "completions",
      "resources",
      "prompts",
    ]);
    expect(both.instructions).toBe("i");
  });

  it("fills a prompt's {{arguments}} in, in one pass, leaving unknown ones", () => {
    const tools = {
      prompts: [
        {
          name: "p",
          messages: [{ role: "user", content: { type: "text", text: "{{a}} {{ b }} {{c}} {{" } }],
        },
      ],
    };
    const answer = answerMethod(tools, "prompts/get", {
      name: "p",
      arguments: { a: "{{b}}", b: 2 },
    });
    expect(answer).toEqual({
      result: { messages: [{ role: "user", content: { type: "text", text: "{{b}} 2 {{c}} {{" } }] },
    });
  });

  it("errs on what it does not have", () => {
    expect(answerMethod({}, "resources/read", { uri: "x://y" })).toEqual({
      error: { code: -32002, message: "Resource not found: x://y" },
    });
    expect(answerMethod({}, "sampling/whatever", undefined)).toEqual({
      error: { code: -32601, message: "Method not found: sampling/whatever" },
    });
    expect(planToolCall({}, { name: "t" })).toEqual({
      error: { code: -32602, message: "Unknown tool: t" },
    });
    expect(
      answerMethod(
        { prompts: [{ name: "p", arguments: [{ name: "a", required: true }], messages: [] }] },
        "prompts/get",
        { name: "p" },
      ),
    ).toEqual({
      error: { code: -32602, message: "Missing required argument: a" },
    });
  });

  it("sends progress only to a call that asked for it", () => {
    expect(stepNotification({ progress: 1 }, undefined)).toBeUndefined();
    expect(stepNotification({ progress: 1, total: 2 }, "tok")).toEqual({
      method: "notifications/progress",
      params: { progressToken: "tok", progress: 1, total: 2 },
    });
    expect(stepNotification({ log: "x" }, undefined)?.params).toEqual({
      level: "info",
      logger: "sse-tool-mcp-fake",
      data: "x",
    });
    expect(stepNotification({ waitMs: 1 }, "tok")).toBeUndefined();
  });

  it("gives a tool without a result a text one", () => {
    expect(planToolCall({ tools: [{ name: "t" }] }, { name: "t" })).toMatchObject({
      result: { content: [{ type: "text", text: "t done" }] },
    });
  });
});
