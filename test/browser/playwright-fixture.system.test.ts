/**
 * docs/test-double.md's Playwright example, as a user's spec file: written to a folder inside
 * this package (so `import ... from "sse-tool/playwright"` resolves through package.json
 * "exports" to the built dist/playwright.js) and run by Playwright Test itself on Debian's
 * Chromium: the `sse` fixture per test, `sseShared` per worker, a fault in the EventSource URL
 * and the journal asserted.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { chromiumPath, testHostResolverRules } from "../helpers/browser.js";
import { readmeExample } from "../helpers/readme-examples.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
let dir: string | undefined;
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** This process's environment less what would make Playwright think it runs under Vitest. */
function runnerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VITEST|TINYPOOL)|^NODE_OPTIONS$/.test(key)) env[key] = value;
  }
  return { ...env, NO_COLOR: "1", CI: "1" };
}

it("runs as written under Playwright Test, with the sse and sseShared fixtures", async () => {
  await mkdir(join(repo, "test/.tmp"), { recursive: true });
  dir = await mkdtemp(join(repo, "test/.tmp/playwright-example-"));
  await writeFile(join(dir, "example.spec.mjs"), readmeExample("playwright-fixture"));
  const config = {
    testDir: ".",
    // Not the package's own folder (Playwright's default): the scratch folder, removed after.
    outputDir: join(dir, "test-results"),
    workers: 1,
    reporter: "list",
    use: {
      browserName: "chromium",
      launchOptions: {
        executablePath: chromiumPath,
        args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", testHostResolverRules],
      },
    },
  };
  await writeFile(
    join(dir, "playwright.config.mjs"),
    `export default ${JSON.stringify(config, null, 2)};\n`,
  );
  const cli = join(repo, "node_modules/@playwright/test/cli.js");
  const result = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      process.execPath,
      [cli, "test", "-c", "playwright.config.mjs"],
      { cwd: dir, env: runnerEnv(), timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, output: stdout + stderr });
      },
    );
  });
  expect(result.code, result.output).toBe(0);
  expect(result.output).toContain("the feed shows every item once, though its stream is cut");
  expect(result.output).toContain("a shared server: each test counts its own fail-first");
  expect(result.output).toMatch(/2 passed/);
}, 150_000);
