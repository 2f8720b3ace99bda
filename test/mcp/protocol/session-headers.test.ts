import { describe, expect, it } from "vitest";
import { sessionHeaders } from "../../../src/mcp/protocol/session-headers.js";

const inputs = {
  base: { "user-agent": "sse-tool/test" },
  userHeaderNames: new Set<string>(),
  protocolVersion: "2025-11-25",
  legacy: false,
  sessionId: "s-1",
};

describe("sessionHeaders", () => {
  it("asks for both answer types and carries the revision and the session", () => {
    expect(sessionHeaders(inputs)).toEqual({
      "user-agent": "sse-tool/test",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2025-11-25",
      "mcp-session-id": "s-1",
    });
  });

  it("sends no revision header on the HTTP+SSE transport, nor before the handshake", () => {
    expect(sessionHeaders({ ...inputs, legacy: true })["mcp-protocol-version"]).toBeUndefined();
    expect(sessionHeaders({ ...inputs, protocolVersion: undefined })).not.toHaveProperty(
      "mcp-protocol-version",
    );
    expect(sessionHeaders({ ...inputs, sessionId: undefined })).not.toHaveProperty(
      "mcp-session-id",
    );
  });

  it("lets -H headers win", () => {
    const headers = sessionHeaders({
      ...inputs,
      base: { accept: "application/json", "mcp-protocol-version": "1999-01-01" },
      userHeaderNames: new Set(["accept", "mcp-protocol-version"]),
    });
    expect(headers.accept).toBe("application/json");
    expect(headers["mcp-protocol-version"]).toBe("1999-01-01");
  });
});
