/**
 * What the server sends reaches a terminal through the one escaper; into a pipe, a tool's text
 * is the data as sent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli-process.js";
import { runInTerminal } from "../helpers/terminal-run.js";
import { type McpTestServer, startMcpTestServer } from "./servers/sdk-server.js";

let server: McpTestServer;
beforeAll(async () => {
  server = await startMcpTestServer();
});
afterAll(async () => {
  await server.close();
});

describe("mcp and the terminal", () => {
  it("escapes a tool's text on a terminal", async () => {
    const result = await runInTerminal(["mcp", server.url, "call", "hostile"]);
    expect(result.screen).toContain("title\\x1b]0;owned\\x07 \\u202eevil");
    expect(result.screen).not.toContain("\u001b]0;");
    expect(result.screen).not.toContain("\u202e");
    expect(result.code).toBe(0);
  });

  it("writes it as sent into a pipe", async () => {
    const result = await runCli(["mcp", server.url, "call", "hostile"]);
    expect(result.stdout).toBe("title\u001b]0;owned\u0007 \u202eevil\n");
  });

  it("escapes it in --json on a terminal, still JSON", async () => {
    const result = await runInTerminal(["mcp", "--json", server.url, "call", "hostile"]);
    expect(result.screen).toContain("\\u001b]0;owned\\u0007 \\u202eevil");
    expect(result.screen).not.toContain("\u202e");
  });
});
