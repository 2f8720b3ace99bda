/**
 * The MCP conformance suite's client scenarios, with `sse-tool mcp` as the client (through
 * conformance-client.sh, which maps each scenario to one command): the handshake, a tool call,
 * and a stream closed after its priming event, resumed after `retry:` with Last-Event-ID.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const conformanceBin = createRequire(import.meta.url).resolve(
  "@modelcontextprotocol/conformance/dist/index.js",
);
const clientScript = fileURLToPath(new URL("./servers/conformance-client.sh", import.meta.url));

function runScenario(scenario: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    [conformanceBin, "client", "--command", `sh ${clientScript}`, "--scenario", scenario],
    { env: { ...process.env, SSE_TOOL_NODE: process.execPath }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, output })));
}

describe("MCP conformance client scenarios", () => {
  it.each(["initialize", "tools_call", "sse-retry"])("%s passes", async (scenario) => {
    const result = await runScenario(scenario);
    expect(result.output).toContain("0 failed, 0 warnings");
    expect(result.output).toContain("OVERALL: PASSED");
    expect(result.code).toBe(0);
  });
});
