/**
 * `serve --mcp-fake <file>` as a user runs it, read by `sse-tool mcp`: the summary, a tool
 * call with its progress, and `--check` with no FAIL; a tools file with mistakes is refused
 * with one line per mistake and exit 2.
 */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testTmpFile } from "../../helpers/browser.js";
import { type CliProcess, runCli, startCli } from "../../helpers/cli-process.js";

const example = fileURLToPath(new URL("../../../examples/mcp-tools.json", import.meta.url));

let server: CliProcess;
let url: string;

beforeAll(async () => {
  server = startCli(["serve", "--mcp-fake", example, "--port", "0", "--heartbeat", "1s"]);
  const line = await server.waitForStderr(/serving (http:\S+) as an MCP server/);
  url = /serving (http:\S+) as an MCP server/.exec(line)![1]!;
});

afterAll(async () => {
  server.kill("SIGTERM");
  await server.exited;
});

describe("serve --mcp-fake read by sse-tool mcp", () => {
  it("serves the file's tools, resources and prompts", async () => {
    const result = await runCli(["mcp", url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("weather-fake 1.0.0");
    expect(result.stdout).toContain("get_weather(city?: string)");
    expect(result.stdout).toContain("file:///notes.txt");
    expect(result.stdout).toContain("greet(who)");
  });

  it("answers a call with the canned result after its progress", async () => {
    const result = await runCli(["mcp", url, "call", "slow_report"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Report ready");
    expect(result.stderr).toContain("notifications/progress 2/2");
  });

  it("passes sse-tool mcp --check with no FAIL and no WARN (keep-alive comments at --heartbeat)", async () => {
    const result = await runCli(["mcp", url, "--check"]);
    expect(result.stdout).toMatch(/\d+ passed, 0 warnings, 0 failed/);
    expect(result.stdout).not.toContain("FAIL ");
    expect(result.code).toBe(0);
  });
});

describe("serve --mcp-fake refuses a bad tools file", () => {
  it("one line per mistake, exit 2", async () => {
    const file = await testTmpFile("bad-mcp-tools.json");
    await writeFile(
      file,
      JSON.stringify({
        tools: [{ name: "" }, { name: "a", steps: [{ waitMs: -1 }] }, { name: "a" }],
        prompts: [{ name: "p" }],
        extra: 1,
      }),
    );
    const result = await runCli(["serve", "--mcp-fake", file, "--port", "0"]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toEqual([
      `sse-tool: ${file}: unknown key "extra" (known: server, instructions, tools, resources, prompts)`,
      `sse-tool: ${file}: tools[0].name: expected a non-empty string`,
      `sse-tool: ${file}: tools[1].steps[0].waitMs: expected whole milliseconds, 0 to 600000`,
      `sse-tool: ${file}: prompts[0].messages: expected a list`,
      `sse-tool: ${file}: tools[2]: name "a" is given twice`,
    ]);
  });

  it("refuses an input file beside it", async () => {
    const result = await runCli(["serve", "--mcp-fake", example, example]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--mcp-fake serves the tools file alone: no input file");
  });
});
