/** `import { mcp } from "sse-tool"`: connect, request, close, from test code. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type McpMessage, mcp, SseToolError } from "../../src/index.js";
import { type McpTestServer, startMcpTestServer } from "./servers/sdk-server.js";

let server: McpTestServer;
beforeAll(async () => {
  server = await startMcpTestServer();
});
afterAll(async () => {
  await server.close();
});

describe("mcp library", () => {
  it("connects, calls a tool, sees its notifications, and closes the session", async () => {
    const seen: McpMessage[] = [];
    const client = await mcp.connect(server.url, { onMessage: (message) => seen.push(message) });
    expect(client.protocolVersion).toBe("2025-11-25");
    expect(client.transport).toBe("streamable-http");
    expect(client.initializeResult?.serverInfo).toEqual({ name: "test-server", version: "1.2.3" });
    const sessionId = client.sessionId;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const result = await client.request("tools/call", {
      name: "long-task",
      arguments: { steps: 2 },
    });
    expect(result).toEqual({ content: [{ type: "text", text: "done" }] });
    const progress = seen.filter((item) => item.message.method === "notifications/progress");
    expect(progress[0]).toMatchObject({ direction: "received", kind: "notification" });
    expect(progress[0]?.eventId).toBeDefined();
    expect(progress).toHaveLength(2);
    await client.close();
    expect(server.deleted).toContain(sessionId);
  });

  it("throws a JSON-RPC error as SseToolError with the error object", async () => {
    const client = await mcp.connect(server.url);
    try {
      const error = await client.request("no/such").catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(SseToolError);
      expect((error as SseToolError).code).toBe("protocol");
      expect((error as { rpcError: { code: number } }).rpcError.code).toBe(-32601);
    } finally {
      await client.close();
    }
  });
});
