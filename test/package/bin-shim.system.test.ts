/**
 * bin/sse-tool.js started on a Node.js older than engines.node: from a clone with the pinned
 * runtime installed (the `node` dev dependency) it runs the same command on that, passing
 * arguments, Node.js options, stdio, the exit code and signals through; elsewhere it says so in
 * one line and exits 1. Needs that older Node.js: SSE_TOOL_OLD_NODE, or the first `node` on PATH
 * (outside node_modules) older than the floor, such as a system Node.js 20.
 */
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import { binPath } from "../helpers/cli-process.js";
import { startTestServer, type TestServer } from "../helpers/http-test-server.js";
import { endlessCounter } from "../helpers/sse-routes.js";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const floor = /^>=(\d+)\.(\d+)/.exec(packageJson.engines.node)!.slice(1).map(Number);

function versionOf(node: string): number[] | undefined {
  try {
    return execFileSync(node, ["--version"], { encoding: "utf8" })
      .trim()
      .slice(1)
      .split(".")
      .map(Number);
  } catch {
    return undefined;
  }
}

function olderThanFloor(version: number[] | undefined): boolean {
  if (!version) return false;
  const [major = 0, minor = 0] = version;
  return major < floor[0]! || (major === floor[0] && minor < floor[1]!);
}

function findOldNode(): string | undefined {
  const fromEnv = process.env.SSE_TOOL_OLD_NODE;
  if (fromEnv) return fromEnv;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "" || dir.includes("node_modules")) continue;
    const candidate = join(dir, "node");
    if (olderThanFloor(versionOf(candidate))) return candidate;
  }
  return undefined;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  nodeArgs?: string[];
  shim?: string;
  /** Sent to the process started (the shim on the old Node.js) once its output matches. */
  signal?: { name: NodeJS.Signals; once: RegExp };
}

/** Runs `oldNode [nodeArgs] shim args` to the end. */
function runOnOldNode(args: string[], options: RunOptions = {}): Promise<Run> {
  const child = spawn(oldNode, [...(options.nodeArgs ?? []), options.shim ?? binPath, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  let stdout = "";
  let stderr = "";
  let signalled = false;
  const maybeSignal = () => {
    if (signalled || !options.signal?.once.test(stdout + stderr)) return;
    signalled = true;
    child.kill(options.signal.name);
  };
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    maybeSignal();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
    maybeSignal();
  });
  const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  return once(child, "close").then(([code, signal]) => {
    clearTimeout(killer);
    return { code, signal, stdout, stderr } as Run;
  });
}

const oldNode = findOldNode() ?? "";
let workDir: string;
let server: TestServer;

beforeAll(async () => {
  expect(
    oldNode,
    `these tests need a Node.js older than ${floor.join(".")}: set SSE_TOOL_OLD_NODE`,
  ).not.toBe("");
  workDir = await mkdtemp(join(tmpdir(), "sse-tool-shim-"));
  server = await startTestServer({ "/endless": endlessCounter(20) });
});

afterAll(async () => {
  await server?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe("bin/sse-tool.js on a Node.js older than engines.node", () => {
  it("without the pinned runtime: one line on stderr, exit 1", async () => {
    // The package as it would be installed, without node_modules/node beside it.
    const copy = join(workDir, "package");
    await cp(join(repoRoot, "bin"), join(copy, "bin"), { recursive: true });
    await cp(join(repoRoot, "package.json"), join(copy, "package.json"));
    const result = await runOnOldNode(["--version"], { shim: join(copy, "bin", "sse-tool.js") });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      new RegExp(`^sse-tool: needs Node\\.js ${floor.join("\\.")} or newer[^\\n]*\\n$`),
    );
    expect(result.stderr).toContain(versionOf(oldNode)!.join("."));
  });

  it("in a clone: runs the command on the pinned runtime, with the Node.js options", async () => {
    const preload = join(workDir, "report-version.mjs");
    await writeFile(preload, 'process.stderr.write("running on " + process.version + "\\n");\n');
    const result = await runOnOldNode(["--version"], { nodeArgs: ["--import", preload] });
    expect(result).toMatchObject({ code: 0, stdout: `${packageJson.version}\n` });
    const versions = [...result.stderr.matchAll(/running on v(\d+)\.(\d+)/g)].map((match) => [
      Number(match[1]),
      Number(match[2]),
    ]);
    // The old Node.js ran the shim; the pinned one, at or above the floor, ran sse-tool.
    expect(versions).toHaveLength(2);
    expect(olderThanFloor(versions[0])).toBe(true);
    expect(olderThanFloor(versions[1])).toBe(false);
  });

  it("passes the exit code through", async () => {
    const result = await runOnOldNode(["listen"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/missing required argument 'url'/);
  });

  it("passes SIGINT on when not on a terminal (listen stops with exit 130)", async () => {
    const result = await runOnOldNode(["listen", "--json", `${server.url}/endless`], {
      signal: { name: "SIGINT", once: /"data"/ },
    });
    expect(result.code, result.stderr).toBe(130);
    expect(result.stdout).toMatch(/^\{"time":/);
  });

  it("passes SIGTERM and SIGHUP on, and dies of the signal the command died of", async () => {
    // listen leaves both at their default: it dies of them. A shim that did not pass them on
    // would wait for its child forever (and be killed by the test after 20 s).
    for (const name of ["SIGTERM", "SIGHUP"] as const) {
      const result = await runOnOldNode(["listen", "--json", `${server.url}/endless`], {
        signal: { name, once: /"data"/ },
      });
      expect({ code: result.code, signal: result.signal }, result.stderr).toEqual({
        code: null,
        signal: name,
      });
    }
  });
});
