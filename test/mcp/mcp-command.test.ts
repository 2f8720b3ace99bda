/**
 * `sse-tool mcp` end to end: the built binary against a real MCP server (the SDK's) on
 * 127.0.0.1, in each of its shapes: sessions on and off, JSON or stream responses.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli-process.js";
import { type McpTestServer, startMcpTestServer } from "./servers/sdk-server.js";

describe.each([
  { sessions: true, json: false },
  { sessions: true, json: true },
  { sessions: false, json: false },
  { sessions: false, json: true },
])("mcp against a server with sessions $sessions, JSON responses $json", (shape) => {
  let server: McpTestServer;
  beforeAll(async () => {
    server = await startMcpTestServer(shape);
  });
  afterAll(async () => {
    await server.close();
  });

  it("handshakes and prints a summary", async () => {
    const result = await runCli(["mcp", server.url]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("server        test-server 1.2.3");
    expect(result.stdout).toContain("revision      2025-11-25 (Streamable HTTP)");
    expect(result.stdout).toMatch(shape.sessions ? /session {7}[0-9a-f-]{36}/ : /session {7}none/);
    expect(result.stdout).toContain(`responses     ${shape.json ? "JSON" : "event streams"}`);
    expect(result.stdout).toContain("  add(a: number, b: number)  Adds two numbers.\n");
    expect(result.stdout).not.toContain("A second line");
    expect(result.stdout).toContain("  file:///notes.md  notes  text/markdown");
    expect(result.stdout).toContain("  greet(name)  Says hello.");
  });

  it("calls a tool with key:=json items and prints its text", async () => {
    const result = await runCli(["mcp", server.url, "call", "add", "a:=1", "b:=2"]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("3\n");
    expect(result.code).toBe(0);
  });

  it("prints the result as JSON with --json", async () => {
    const result = await runCli(["mcp", server.url, "tools/list", "--json"]);
    expect(result.code).toBe(0);
    const names = (JSON.parse(result.stdout) as { tools: Array<{ name: string }> }).tools.map(
      (tool) => tool.name,
    );
    expect(names).toContain("add");
    expect(names).toContain("long-task");
  });

  it("reads a resource with params as one JSON object", async () => {
    const result = await runCli([
      "mcp",
      server.url,
      "resources/read",
      '{"uri":"file:///notes.md"}',
      "--json",
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      contents: [{ uri: "file:///notes.md", text: "# Notes\nremember" }],
    });
  });
});

describe("mcp session lifecycle", () => {
  let server: McpTestServer;
  beforeAll(async () => {
    server = await startMcpTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it("ends the session with DELETE, or keeps it with --keep-session", async () => {
    const before = server.deleted.length;
    const ended = await runCli(["mcp", server.url, "ping"]);
    expect(ended.code).toBe(0);
    expect(server.deleted.length).toBe(before + 1);
    const kept = await runCli(["mcp", "--keep-session", server.url, "ping"]);
    expect(kept.code).toBe(0);
    expect(server.deleted.length).toBe(before + 1);
    const id = /session kept: (\S+) \(reuse it with --session \1\)/.exec(kept.stderr)?.[1];
    expect(id).toBeDefined();
    // A reused session had no handshake here: the summary still lists what the server offers.
    const summary = await runCli(["mcp", "--keep-session", "--session", id!, server.url]);
    expect(summary.stdout).toContain("  add(a: number, b: number)  Adds two numbers.");
    expect(summary.code).toBe(0);
    const reused = await runCli([
      "mcp",
      "--session",
      id!,
      server.url,
      "call",
      "add",
      "a:=2",
      "b:=5",
    ]);
    expect(reused.stdout).toBe("7\n");
    expect(reused.code).toBe(0);
    expect(server.deleted).toContain(id);
  });
});
