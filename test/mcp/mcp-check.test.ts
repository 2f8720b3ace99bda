/** `sse-tool mcp --check`: the transport checklist against servers that get things right and wrong. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli-process.js";
import { type McpTestServer, startMcpTestServer } from "./servers/sdk-server.js";

interface CheckJson {
  failed: boolean;
  checks: Array<{ id: string; status: string; reason: string; fix?: string }>;
}

const statuses = (report: CheckJson) =>
  Object.fromEntries(report.checks.map((check) => [check.id, check.status]));

describe("mcp --check", () => {
  let good: McpTestServer;
  let open: McpTestServer;
  let stateless: McpTestServer;
  beforeAll(async () => {
    [good, open, stateless] = await Promise.all([
      startMcpTestServer(),
      startMcpTestServer({ originCheck: false, json: true, keepAliveMs: 0 }),
      startMcpTestServer({ sessions: false }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([good.close(), open.close(), stateless.close()]);
  });

  it("passes a server that follows the spec, and exits 0", async () => {
    const result = await runCli(["mcp", "--check", "--json", good.url]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as CheckJson;
    expect(report.failed).toBe(false);
    // The check's own session and the one its CORS probe made are both ended.
    expect(good.deleted).toHaveLength(2);
    expect(statuses(report)).toEqual({
      initialize: "pass",
      responses: "pass",
      priming: "pass",
      "event-ids": "pass",
      resumption: "pass",
      accept: "pass",
      "protocol-version": "pass",
      "session-missing": "pass",
      "session-unknown": "pass",
      cors: "pass",
      origin: "pass",
      "get-stream": "pass",
      "keep-alive": "pass",
      delete: "pass",
    });
  });

  it("fails a server that takes any Origin, and exits 4", async () => {
    const result = await runCli(["mcp", "--check", open.url]);
    expect(result.code).toBe(4);
    expect(result.stdout).toMatch(
      /FAIL {2}origin +a request from Origin https:\/\/dns-rebinding\.invalid got HTTP 200\n +fix: validate Origin and answer 403/,
    );
    expect(result.stdout).toMatch(/SKIP {2}priming +no event stream to look at \(JSON responses\)/);
    expect(result.stdout).toMatch(
      /WARN {2}keep-alive +no comment on the quiet GET stream within 2 s/,
    );
    expect(result.stdout).toMatch(/\d+ passed, \d+ warnings?, 1 failed/);
  });

  it("skips the session checks of a stateless server", async () => {
    const result = await runCli(["mcp", "--check", "--json", stateless.url]);
    const report = JSON.parse(result.stdout) as CheckJson;
    expect(statuses(report).session).toBe("skip");
    expect(statuses(report).delete).toBeUndefined();
    expect(statuses(report).cors).toBe("pass");
  });

  it("fails at the handshake when no MCP server answers", async () => {
    const result = await runCli(["mcp", "--check", `${good.origin}/faults/accept`]);
    expect(result.stdout).toMatch(/FAIL {2}initialize {2}POST got HTTP 406/);
    expect(result.code).toBe(4);
  });

  it("warns of the HTTP+SSE transport of 2024-11-05", async () => {
    const result = await runCli(["mcp", "--check", `${good.origin}/legacy`]);
    expect(result.stdout).toMatch(
      /WARN {2}transport {2}HTTP\+SSE transport of 2024-11-05 \(deprecated\)/,
    );
    expect(result.code).toBe(0);
  });

  it("takes only the URL", async () => {
    const result = await runCli(["mcp", "--check", good.url, "tools/list"]);
    expect(result.stderr).toBe("sse-tool: --check takes only the URL\n");
    expect(result.code).toBe(2);
  });
});
