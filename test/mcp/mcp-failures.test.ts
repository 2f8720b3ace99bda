/** Each way an MCP exchange fails, told in one line with its fix, exit 1. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli-process.js";
import { type McpTestServer, startMcpTestServer } from "./servers/sdk-server.js";

let server: McpTestServer;
beforeAll(async () => {
  server = await startMcpTestServer();
});
afterAll(async () => {
  await server.close();
});

describe("mcp failures", () => {
  it("406: says which Accept the server wants", async () => {
    const result = await runCli(["mcp", `${server.origin}/faults/accept`]);
    expect(result.stderr).toBe(
      "sse-tool: POST got HTTP 406 Not Acceptable (Not Acceptable: Client must accept application/json only): " +
        "the server wants Accept to list both application/json and text/event-stream (do not replace Accept with -H)\n",
    );
    expect(result.code).toBe(1);
  });

  it("401: shows the resource metadata URL and how to send a token", async () => {
    const result = await runCli(["mcp", `${server.origin}/faults/auth`]);
    expect(result.stderr).toContain(
      `resource metadata: ${server.origin}/.well-known/oauth-protected-resource/mcp; send it with -H "Authorization: Bearer TOKEN"`,
    );
    expect(result.code).toBe(1);
  });

  it("403: a refused Origin is named as DNS-rebinding protection", async () => {
    const result = await runCli(["mcp", "-H", "Origin: https://evil.example", server.url]);
    expect(result.stderr).toMatch(
      /POST got HTTP 403 Forbidden \(Invalid Origin header: https:\/\/evil\.example\): refused: the server checks Origin and Host against DNS rebinding/,
    );
    expect(result.code).toBe(1);
  });

  it("400: a bad MCP-Protocol-Version (given with -H) is named", async () => {
    const result = await runCli([
      "mcp",
      "-H",
      "MCP-Protocol-Version: 1999-01-01",
      server.url,
      "ping",
    ]);
    expect(result.stderr).toMatch(
      /^sse-tool: POST got HTTP 400 Bad Request \(Bad Request: Unsupported protocol version[^\n]*\): the server refused the request: a bad MCP-Protocol-Version header, or a malformed message$/m,
    );
    expect(result.code).toBe(1);
  });

  it("a body that is neither JSON nor a stream", async () => {
    const result = await runCli(["mcp", `${server.origin}/faults/text`]);
    expect(result.stderr).toBe(
      "sse-tool: POST #1: got text/html where application/json or text/event-stream was expected\n",
    );
    expect(result.code).toBe(1);
  });

  it("404 without a session: no MCP endpoint here", async () => {
    const result = await runCli(["mcp", `${server.origin}/nothing`]);
    expect(result.stderr).toContain("no MCP endpoint at this URL: check the path (often /mcp)");
    expect(result.code).toBe(1);
  });

  it("POST refused and a GET stream that is not HTTP+SSE: both said, at once", async () => {
    const result = await runCli(["mcp", `${server.origin}/faults/not-legacy`]);
    expect(result.stderr).toContain(
      "sse-tool: no HTTP+SSE transport either: the GET stream does not start with an endpoint event\n",
    );
    expect(result.stderr).toContain(
      "sse-tool: POST got HTTP 405 Method Not Allowed: this URL does not take POST: is it the MCP endpoint?\n",
    );
    expect(result.code).toBe(1);
  });

  it("an endpoint event naming another origin is not followed", async () => {
    const result = await runCli(["mcp", `${server.origin}/faults/foreign-endpoint`]);
    expect(result.stderr).toContain(
      "no HTTP+SSE transport either: the endpoint event names another origin: http://evil.example\n",
    );
    expect(result.code).toBe(1);
  });

  it("a refused connection", async () => {
    const closed = await startMcpTestServer();
    const url = closed.url;
    await closed.close();
    const result = await runCli(["mcp", url]);
    expect(result.stderr).toMatch(
      /^sse-tool: cannot connect to 127\.0\.0\.1:\d+: connection refused\n$/,
    );
    expect(result.code).toBe(1);
  });

  it("usage errors exit 2", async () => {
    const badItem = await runCli(["mcp", server.url, "call", "add", "nonsense"]);
    expect(badItem.stderr).toBe('sse-tool: expected key=value or key:=json, got "nonsense"\n');
    expect(badItem.code).toBe(2);
    const data = await runCli(["mcp", "-d", "{}", server.url]);
    expect(data.stderr).toContain("-d and -X do not apply");
    expect(data.code).toBe(2);
  });
});
