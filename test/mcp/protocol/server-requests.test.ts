import { describe, expect, it } from "vitest";
import { answerServerRequest } from "../../../src/mcp/protocol/server-requests.js";

const request = (method: string) => ({ jsonrpc: "2.0" as const, id: 9, method });

describe("answerServerRequest", () => {
  it("answers ping with an empty result", () => {
    expect(answerServerRequest(request("ping"), undefined)).toEqual({
      jsonrpc: "2.0",
      id: 9,
      result: {},
    });
  });

  it.each(["sampling/createMessage", "elicitation/create", "roots/list", "x/unknown"])(
    "refuses %s with method not found",
    (method) => {
      expect(answerServerRequest(request(method), {}).error?.code).toBe(-32601);
    },
  );

  it("gives a canned reply when there is one", () => {
    const roots = { roots: [{ uri: "file:///a" }] };
    expect(answerServerRequest(request("roots/list"), { "roots/list": roots }).result).toBe(roots);
  });
});
