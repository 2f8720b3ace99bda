/**
 * The MCP conformance suite's server scenarios for the transport, tools, resources and prompts,
 * run against the MCP fake (startMcpFake with conformance-tools.json: what the suite calls).
 * Not here: resource templates, sampling and elicitation (the fake has none).
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMcpFake, startMcpFake } from "../../../src/index.js";

const conformanceBin = createRequire(import.meta.url).resolve(
  "@modelcontextprotocol/conformance/dist/index.js",
);

let fake: RunningMcpFake;

beforeAll(async () => {
  const tools = JSON.parse(
    await readFile(new URL("./conformance-tools.json", import.meta.url), "utf8"),
  );
  fake = await startMcpFake(tools);
});

afterAll(() => fake.close());

function runScenario(scenario: string): Promise<{ code: number | null; output: string }> {
  // localhost: the DNS-rebinding scenario sends the URL's own host as the valid one.
  const url = fake.url.replace("127.0.0.1", "localhost");
  const child = spawn(
    process.execPath,
    [conformanceBin, "server", "--url", url, "--scenario", scenario],
    { stdio: ["ignore", "pipe", "pipe"] },
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

describe("MCP conformance server scenarios against the MCP fake", () => {
  it.each([
    "server-initialize",
    "ping",
    "tools-list",
    "tools-call-simple-text",
    "tools-call-image",
    "tools-call-audio",
    "tools-call-embedded-resource",
    "tools-call-mixed-content",
    "tools-call-with-logging",
    "tools-call-error",
    "tools-call-with-progress",
    "server-sse-polling",
    "server-sse-multiple-streams",
    "dns-rebinding-protection",
    "json-schema-2020-12",
    "logging-set-level",
    "completion-complete",
    "resources-list",
    "resources-read-text",
    "resources-read-binary",
    "resources-subscribe",
    "resources-unsubscribe",
    "prompts-list",
    "prompts-get-simple",
    "prompts-get-with-args",
    "prompts-get-embedded-resource",
    "prompts-get-with-image",
  ])("%s passes", async (scenario) => {
    const result = await runScenario(scenario);
    expect(result.output).toMatch(/Passed: (\d+)\/\1, 0 failed, 0 warnings/);
    expect(result.code).toBe(0);
  });
});
