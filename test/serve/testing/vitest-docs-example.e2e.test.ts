/**
 * docs/test-double.md's Vitest example, as a user's test file: written to a folder inside this
 * package (so `import ... from "sse-tool/vitest"` resolves through package.json "exports" to
 * the built dist/vitest.js) and run by Vitest itself, in a process of its own.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { readmeExample } from "../../helpers/readme-examples.js";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
let dir: string | undefined;
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** This process's environment less what would make the inner Vitest think it is a worker. */
function runnerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VITEST|TINYPOOL)|^NODE_OPTIONS$/.test(key)) env[key] = value;
  }
  return { ...env, NO_COLOR: "1", CI: "1" };
}

it("runs as written under Vitest, its two tests passing", async () => {
  await mkdir(join(repo, "test/.tmp"), { recursive: true });
  dir = await mkdtemp(join(repo, "test/.tmp/vitest-example-"));
  await writeFile(join(dir, "example.test.mjs"), readmeExample("vitest-fixture"));
  const vitest = join(repo, "node_modules/vitest/vitest.mjs");
  const result = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      process.execPath,
      [vitest, "run", "--root", dir!, "--reporter", "verbose"],
      { cwd: dir, env: runnerEnv(), timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, output: stdout + stderr });
      },
    );
  });
  expect(result.code, result.output).toBe(0);
  expect(result.output).toContain("resumes after a cut with the last id it saw");
  expect(result.output).toContain("a fixture instead: a POST body in the journal");
  expect(result.output).toMatch(/Tests\s+2 passed \(2\)/);
}, 90_000);
