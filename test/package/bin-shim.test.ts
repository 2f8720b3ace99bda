/**
 * bin/sse-tool.js checks the running Node.js against the floor before loading anything; that
 * floor must be the one package.json declares. (Running it on an older Node.js is in
 * bin-shim.system.test.ts: it needs a Node.js from outside npm.)
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };

describe("bin/sse-tool.js", () => {
  it("checks the same Node.js floor as engines.node", async () => {
    const shim = await readFile(new URL("../../bin/sse-tool.js", import.meta.url), "utf8");
    const floor = /const floor = \[(\d+), (\d+)\];/.exec(shim);
    expect(floor, "bin/sse-tool.js declares `const floor = [major, minor];`").not.toBeNull();
    expect(`>=${floor![1]}.${floor![2]}`).toBe(packageJson.engines.node);
  });
});
