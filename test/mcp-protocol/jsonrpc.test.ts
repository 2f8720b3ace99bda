import { describe, expect, it } from "vitest";
import { classifyMessage, parseMessages } from "../../src/mcp-protocol/jsonrpc.js";

describe("classifyMessage", () => {
  it.each([
    [{ jsonrpc: "2.0", id: 1, method: "ping" }, "request"],
    [{ jsonrpc: "2.0", id: "a", method: "roots/list", params: {} }, "request"],
    [{ jsonrpc: "2.0", method: "notifications/progress", params: { progress: 1 } }, "notification"],
    [{ jsonrpc: "2.0", id: 1, result: {} }, "response"],
    [{ jsonrpc: "2.0", id: null, error: { code: -32600, message: "bad" } }, "response"],
  ])("%j is a %s", (value, kind) => {
    expect(classifyMessage(value)?.kind).toBe(kind);
  });

  it.each([[null], [[]], ["ping"], [{ id: 1 }], [{ method: 5 }]])("%j is no message", (value) => {
    expect(classifyMessage(value)).toBeUndefined();
  });
});

describe("parseMessages", () => {
  it("takes one message or a batch", () => {
    expect(parseMessages('{"jsonrpc":"2.0","id":1,"result":{}}')).toHaveLength(1);
    expect(
      parseMessages('[{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0","id":2,"result":1}]'),
    ).toHaveLength(2);
  });

  it("says what is wrong instead of throwing", () => {
    expect(parseMessages("{")).toBe("not JSON");
    expect(parseMessages('{"x":1}')).toBe("not a JSON-RPC message");
    expect(parseMessages(`${"[".repeat(1000)}${"]".repeat(1000)}`)).toBe("JSON nested too deep");
  });
});
