import { describe, expect, it } from "vitest";
import {
  bodyReason,
  explainHttpFailure,
  resourceMetadataUrl,
} from "../../../src/mcp/protocol/http-failure.js";

const base = { statusText: "", method: "POST", withSession: false, bodyStart: "" };

describe("explainHttpFailure", () => {
  it.each([
    [{ status: 406 }, /both application\/json and text\/event-stream/],
    [{ status: 400 }, /missing Mcp-Session-Id/],
    [{ status: 400, withSession: true }, /bad MCP-Protocol-Version/],
    [{ status: 404, withSession: true }, /the session expired or is unknown/],
    [{ status: 404 }, /no MCP endpoint at this URL/],
    [{ status: 403 }, /DNS rebinding/],
    [{ status: 405, method: "GET" }, /offers no stream of its own \(fine/],
    [{ status: 405 }, /does not take POST/],
    [
      { status: 500, statusText: "Internal Server Error" },
      /^POST got HTTP 500 Internal Server Error$/,
    ],
  ])("%j", (failure, line) => {
    expect(explainHttpFailure({ ...base, ...failure })).toMatch(line);
  });

  it("names the resource metadata of a 401", () => {
    const line = explainHttpFailure({
      ...base,
      status: 401,
      wwwAuthenticate:
        'Bearer error="invalid_token", resource_metadata="https://a.example/.well-known/x"',
    });
    expect(line).toContain("resource metadata: https://a.example/.well-known/x;");
    expect(line).toContain('-H "Authorization: Bearer TOKEN"');
  });

  it("quotes the server's reason: a JSON-RPC error's message, or its first line cut short", () => {
    expect(bodyReason('{"jsonrpc":"2.0","error":{"code":-1,"message":"nope"}}')).toBe("nope");
    expect(bodyReason("first\nsecond")).toBe("first");
    expect(bodyReason("x".repeat(500))).toBe(`${"x".repeat(200)}…`);
  });

  it("finds no metadata where there is none", () => {
    expect(resourceMetadataUrl(undefined)).toBeUndefined();
    expect(resourceMetadataUrl('Bearer realm="x"')).toBeUndefined();
  });
});
