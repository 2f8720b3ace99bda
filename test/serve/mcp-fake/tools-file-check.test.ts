import { describe, expect, it } from "vitest";
import { checkTools, readToolsText } from "../../../src/serve/mcp-fake/tools-file-check.js";

describe("the MCP fake's tools file check", () => {
  it("takes a file with everything in it", () => {
    const tools = {
      server: { name: "x", version: "1" },
      instructions: "be nice",
      tools: [
        {
          name: "t",
          description: "d",
          inputSchema: { type: "object" },
          steps: [
            { progress: 1, total: 2, message: "m" },
            { log: "l", level: "warning" },
            { waitMs: 5 },
            { closeStream: true },
          ],
          text: "ok",
        },
        { name: "u", result: { content: [], isError: true } },
      ],
      resources: [
        { uri: "a://b", text: "t" },
        { uri: "a://c", blob: "AA==" },
      ],
      prompts: [{ name: "p", arguments: [{ name: "x", required: true }], messages: [] }],
    };
    expect(checkTools(tools)).toEqual({ tools });
    expect(checkTools({})).toEqual({ tools: {} });
  });

  it.each([
    [[], "expected an object with tools, resources, prompts"],
    [{ tools: {} }, "tools: expected a list"],
    [{ tools: [1] }, "tools[0]: expected an object"],
    [{ tools: [{ name: "t", text: "a", result: {} }] }, "tools[0]: give result or text, not both"],
    [
      { tools: [{ name: "t", result: { content: "x" } }] },
      "tools[0].result.content: expected a list",
    ],
    [{ tools: [{ name: "t", inputSchema: [] }] }, "tools[0].inputSchema: expected an object"],
    [
      { tools: [{ name: "t", steps: [{}] }] },
      "tools[0].steps[0]: expected one of progress, log, waitMs, closeStream",
    ],
    [
      { tools: [{ name: "t", steps: [{ waitMs: 1, log: "x" }] }] },
      "tools[0].steps[0]: expected one of progress, log, waitMs, closeStream",
    ],
    [
      { tools: [{ name: "t", steps: [{ progress: -1 }] }] },
      "tools[0].steps[0].progress: expected a number, 0 or more",
    ],
    [
      { tools: [{ name: "t", steps: [{ log: "x", level: "loud" }] }] },
      "tools[0].steps[0].level: expected one of debug, info, notice, warning, error, critical, alert, emergency",
    ],
    [
      { tools: [{ name: "t", steps: [{ waitMs: 600_001 }] }] },
      "tools[0].steps[0].waitMs: expected whole milliseconds, 0 to 600000",
    ],
    [
      { tools: [{ name: "t", steps: [{ closeStream: false }] }] },
      "tools[0].steps[0].closeStream: expected true",
    ],
    [
      { resources: [{ uri: "a://b", text: "x", blob: "y" }] },
      "resources[0]: give text or blob, not both",
    ],
    [
      { resources: [{ uri: "a://b" }, { uri: "a://b" }] },
      'resources[1]: uri "a://b" is given twice',
    ],
    [
      { prompts: [{ name: "p", messages: [], arguments: [{ name: "a", required: "yes" }] }] },
      "prompts[0].arguments[0].required: expected true or false",
    ],
    [{ server: "x" }, "server: expected { name, version }"],
    [{ instructions: 1 }, "instructions: expected a string"],
    [
      { tools: Array.from({ length: 1001 }, (_, i) => ({ name: `t${i}` })) },
      "tools: more than 1000 items",
    ],
  ])("%j: %s", (value, problem) => {
    expect(checkTools(value)).toEqual({ problems: [problem] });
  });

  it("refuses text that is no JSON, nested too deep, or too long, before parsing it", () => {
    expect(readToolsText("{").problems?.[0]).toMatch(/^not JSON: /);
    expect(readToolsText(`${"[".repeat(1000)}${"]".repeat(1000)}`).problems?.[0]).toMatch(
      /^nested deeper than/,
    );
    expect(readToolsText(" ".repeat(4 * 1024 ** 2 + 1)).problems).toEqual([
      "the file is over 4194304 bytes",
    ]);
  });
});
