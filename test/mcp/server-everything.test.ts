/**
 * `sse-tool mcp` against the reference server `@modelcontextprotocol/server-everything`
 * (Streamable HTTP, sessions, event streams), started on 127.0.0.1 with a free port.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli-process.js";

const everything = createRequire(import.meta.url).resolve(
  "@modelcontextprotocol/server-everything/dist/index.js",
);
const preload = fileURLToPath(new URL("./servers/listen-on-loopback.mjs", import.meta.url));

let child: ChildProcess;
let url: string;
beforeAll(async () => {
  child = spawn(process.execPath, ["--import", preload, everything, "streamableHttp"], {
    env: { ...process.env, PORT: "0" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      const port = /listening on port (\d+)/.exec(stderr)?.[1];
      if (port !== undefined) resolve(`http://127.0.0.1:${port}/mcp`);
    });
    child.on("exit", () => reject(new Error(`server-everything exited:\n${stderr}`)));
  });
});
afterAll(() => {
  child.kill();
});

describe("mcp against server-everything", () => {
  it("summarises it", async () => {
    const result = await runCli(["mcp", url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^server {8}mcp-servers\/everything /m);
    expect(result.stdout).toContain("revision      2025-11-25 (Streamable HTTP)");
    expect(result.stdout).toMatch(/^ {2}echo\(message: string\) {2}Echoes back the input string$/m);
  });

  it("calls echo", async () => {
    const result = await runCli(["mcp", url, "call", "echo", "message=hello there"]);
    expect(result.stdout).toBe("Echo: hello there\n");
    expect(result.code).toBe(0);
  });

  it("shows the progress of a long-running operation as it comes", async () => {
    const result = await runCli([
      "mcp",
      url,
      "call",
      "trigger-long-running-operation",
      "duration:=0.3",
      "steps:=3",
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/← notifications\/progress 1\/3/);
    expect(result.stderr).toMatch(/← notifications\/progress 3\/3/);
    expect(result.stdout).toContain("completed");
  });

  it("shows a tiny image as type and size", async () => {
    const result = await runCli(["mcp", url, "call", "get-tiny-image"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\[image image\/png, \d+(\.\d)? (B|KiB)\]/);
  });

  it("--check finds what it leaves out: 400 for an ended session, any Origin taken", async () => {
    const result = await runCli(["mcp", "--check", "--json", url]);
    const report = JSON.parse(result.stdout) as { checks: Array<{ id: string; status: string }> };
    const statuses = Object.fromEntries(report.checks.map((check) => [check.id, check.status]));
    expect(statuses).toMatchObject({
      initialize: "pass",
      priming: "pass",
      resumption: "pass",
      accept: "pass",
      "protocol-version": "pass",
      "session-unknown": "warn",
      origin: "fail",
      delete: "fail",
    });
    expect(result.code).toBe(4);
  });
});
