import { describe, expect, it } from "vitest";
import { formatMessage, formatToolResult } from "../../../src/mcp/view/messages.js";

describe("formatMessage", () => {
  it("lays out direction, id, method, event id and time", () => {
    expect(
      formatMessage({
        direction: "received",
        message: {
          kind: "notification",
          message: {
            jsonrpc: "2.0",
            method: "notifications/progress",
            params: { progress: 2, total: 5, message: "copying" },
          },
        },
        via: "stream",
        eventId: "7",
        sinceRequestMs: 120,
      }),
    ).toBe("← notifications/progress 2/5 copying  (event 7, stream, +120ms)");
    expect(
      formatMessage({
        direction: "sent",
        message: { kind: "request", message: { jsonrpc: "2.0", id: 3, method: "tools/list" } },
        via: "post",
      }),
    ).toBe("→ #3 tools/list");
    expect(
      formatMessage({
        direction: "received",
        message: {
          kind: "response",
          message: { jsonrpc: "2.0", id: 3, error: { code: -32601, message: "no" } },
        },
        via: "json",
      }),
    ).toBe("← #3 error -32601: no  (json)");
  });

  it("cuts long params short", () => {
    const line = formatMessage({
      direction: "sent",
      message: {
        kind: "request",
        message: { jsonrpc: "2.0", id: 1, method: "x", params: { a: "y".repeat(500) } },
      },
      via: "post",
    });
    expect(line.length).toBeLessThan(230);
    expect(line.endsWith("…")).toBe(true);
  });
});

describe("formatToolResult", () => {
  it("prints text as text and media as type and size", () => {
    expect(
      formatToolResult({
        content: [
          { type: "text", text: "line one\nline two" },
          { type: "audio", data: "AAAA", mimeType: "audio/wav" },
          { type: "resource_link", uri: "file:///a" },
          { type: "resource", resource: { uri: "file:///b", text: "body" } },
        ],
      }),
    ).toBe(
      "line one\nline two\n[audio audio/wav, 3 B]\n[link file:///a]\n[resource file:///b]\nbody",
    );
  });

  it("shows structured content when there is no content", () => {
    expect(formatToolResult({ content: [], structuredContent: { sum: 3 } })).toBe(
      '{\n  "sum": 3\n}',
    );
  });
});
