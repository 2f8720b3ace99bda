import { describe, expect, it } from "vitest";
import { clientCapabilities, initializeParams } from "../../../src/mcp/protocol/handshake.js";

describe("clientCapabilities", () => {
  it("declares what the replies can answer", () => {
    expect(clientCapabilities(undefined)).toEqual({});
    expect(
      clientCapabilities({
        "roots/list": {},
        "sampling/createMessage": {},
        "elicitation/create": {},
      }),
    ).toEqual({ roots: {}, sampling: {}, elicitation: {} });
  });
});

describe("initializeParams", () => {
  it("offers the revision, names the client and declares what it can answer", () => {
    expect(initializeParams("2025-11-25", { "roots/list": { roots: [] } })).toMatchObject({
      protocolVersion: "2025-11-25",
      capabilities: { roots: {} },
      clientInfo: { name: "sse-tool" },
    });
  });
});
