/**
 * The suite runs on the Node.js that CI put first on PATH (`.ci/run` sets
 * SSE_TOOL_CI_NODE_MAJOR for Node 22 and 24), and that version is one package.json supports.
 * Every spawned `sse-tool` uses this same binary (`process.execPath`).
 */
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
  it("is the version CI asked for, and satisfies engines.node", () => {
    const running = versionParts(process.version);
    const expectedMajor = process.env.SSE_TOOL_CI_NODE_MAJOR;
    if (expectedMajor) expect(running[0]).toBe(Number(expectedMajor));
    const minimum = /^>=(\d+\.\d+(?:\.\d+)?)$/.exec(packageJson.engines.node)?.[1];
    expect(minimum, "engines.node has the form >=x.y or >=x.y.z").toBeDefined();
    expect(atLeast(running, versionParts(minimum!)), `${process.version} ${minimum}`).toBe(true);
  });
});
