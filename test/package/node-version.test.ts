/**
 * The suite runs on the Node.js it is meant to: one that engines.node allows, the one `node` on
 * PATH names (what spawned scripts, shebangs and npm get), and in CI the major `.ci/run` asked
 * for (SSE_TOOL_CI_NODE_MAJOR; npm would otherwise put the pinned Node 22 from node_modules/.bin
 * first on PATH). Every spawned `sse-tool` uses this same binary (`process.execPath`).
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };

function versionParts(version: string): number[] {
  return version.replace(/^v/, "").split(".").map(Number);
}

function atLeast(version: number[], minimum: number[]): boolean {
  for (let index = 0; index < minimum.length; index++) {
    const part = version[index] ?? 0;
    const wanted = minimum[index] ?? 0;
    if (part !== wanted) return part > wanted;
  }
  return true;
}

describe("the Node.js running the suite", () => {
  it("satisfies engines.node, and is the major CI asked for", () => {
    const minimum = /^>=(\d+\.\d+(?:\.\d+)?)$/.exec(packageJson.engines.node)?.[1];
    expect(minimum, "engines.node has the form >=x.y or >=x.y.z").toBeDefined();
    const running = versionParts(process.version);
    expect(atLeast(running, versionParts(minimum!)), process.version).toBe(true);
    const asked = process.env.SSE_TOOL_CI_NODE_MAJOR;
    if (process.env.CI) expect(asked, "CI runs set SSE_TOOL_CI_NODE_MAJOR").toBeDefined();
    if (asked) expect(running[0]).toBe(Number(asked));
  });

  it("is the `node` on PATH, so what the tests spawn runs on it too", () => {
    const onPath = execFileSync("node", ["-p", "process.version"], { encoding: "utf8" }).trim();
    expect(onPath).toBe(process.version);
    const spawned = execFileSync(process.execPath, ["-p", "process.version"], { encoding: "utf8" });
    expect(spawned.trim()).toBe(process.version);
  });
});
