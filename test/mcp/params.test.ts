import { describe, expect, it } from "vitest";
import { SseToolError } from "../../src/errors.js";
import { parseAction, parseParams, withProgressToken } from "../../src/mcp/params.js";

describe("parseAction", () => {
  it.each([
    [[], { kind: "summary" }],
    [["watch"], { kind: "watch" }],
    [["tools/list"], { kind: "request", method: "tools/list", params: undefined }],
    [
      ["call", "add", "a:=1", "b:=2"],
      { kind: "request", method: "tools/call", params: { name: "add", arguments: { a: 1, b: 2 } } },
    ],
    [
      ["call", "now"],
      { kind: "request", method: "tools/call", params: { name: "now", arguments: {} } },
    ],
    [
      ["resources/read", '{"uri":"file:///notes.md"}'],
      { kind: "request", method: "resources/read", params: { uri: "file:///notes.md" } },
    ],
    [["watch", "x=1"], { kind: "request", method: "watch", params: { x: "1" } }],
  ])("%j", (words, action) => {
    expect(parseAction(words)).toEqual(action);
  });

  it("needs a tool name after call", () => {
    expect(() => parseAction(["call"])).toThrow(/call needs a tool name/);
  });
});

describe("parseParams", () => {
  it("reads key=text as a string and key:=json as JSON; the first = splits", () => {
    expect(parseParams(["q=a=b", 'n:=[1,{"x":null}]', "flag:=true", "empty="])).toEqual({
      q: "a=b",
      n: [1, { x: null }],
      flag: true,
      empty: "",
    });
  });

  it.each([
    [["nonsense"], /expected key=value or key:=json, got "nonsense"/],
    [["=x"], /expected key=value/],
    [["n:={"], /n: not valid JSON/],
    [["[1]"], /expected key=value/],
    [['{"a":1'], /params: not valid JSON/],
    [[`x:=${"[".repeat(300)}${"]".repeat(300)}`], /x: JSON nested too deep/],
  ])("refuses %j as a usage error", (words, message) => {
    let thrown: unknown;
    try {
      parseParams(words);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SseToolError);
    expect((thrown as SseToolError).code).toBe("usage");
    expect((thrown as SseToolError).message).toMatch(message);
  });
});

describe("withProgressToken", () => {
  it("adds a progress token, keeping other _meta fields", () => {
    expect(withProgressToken({ name: "x" }, "t")).toEqual({
      name: "x",
      _meta: { progressToken: "t" },
    });
    expect(withProgressToken({ _meta: { other: 1 } }, "t")).toEqual({
      _meta: { other: 1, progressToken: "t" },
    });
    expect(withProgressToken(undefined, "t")).toEqual({ _meta: { progressToken: "t" } });
  });

  it("keeps the user's own token", () => {
    const params = { _meta: { progressToken: 7 } };
    expect(withProgressToken(params, "t")).toBe(params);
  });
});
