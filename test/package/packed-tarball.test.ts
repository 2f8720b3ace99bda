/**
 * The package as `npx sse-tool` meets it: `npm pack`, then `npm install --omit=dev` of the
 * tarball into an empty folder (dependencies come from the npm registry), then the installed
 * `node_modules/.bin/sse-tool` run through its shebang. Catches a file missing from `files`, a
 * dev dependency used at run time, a broken shebang or bin link.
 *
 * Needs `npm run build` first (as every end-to-end test does): the pack skips `prepare` so it
 * does not rebuild dist/ under the other tests' feet.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eventStreamHeaders,
  startTestServer,
  type TestServer,
} from "../helpers/http-test-server.js";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment for npm and the installed binary: the node running this test first on PATH
 * (so the shebang's `env node` is the version under test), and no `npm_*` variables inherited
 * from `npm test`, which would point the nested npm at this repository.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && key !== "NO_COLOR" && key !== "FORCE_COLOR") env[key] = value;
  }
  env.PATH = [dirname(process.execPath), process.env.PATH].join(delimiter);
  return env;
}

function run(file: string, args: string[], cwd: string, timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd, env: cleanEnv(), timeout: timeoutMs, maxBuffer: 16 * 1024 ** 2 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

let workDir: string;
let installDir: string;
let installedBin: string;
let packedFiles: string[];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "sse-tool-packed-"));
  const pack = await run(
    "npm",
    ["pack", "--json", "--ignore-scripts", "--pack-destination", workDir],
    repoRoot,
  );
  expect(pack.code, pack.stderr).toBe(0);
  const [packed] = JSON.parse(pack.stdout) as Array<{
    filename: string;
    files: { path: string }[];
  }>;
  packedFiles = packed!.files.map((file) => file.path).sort();

  installDir = join(workDir, "empty-project");
  await mkdir(installDir);
  await writeFile(
    join(installDir, "package.json"),
    '{ "name": "tarball-check", "private": true }\n',
  );
  const install = await run(
    "npm",
    [
      "install",
      "--omit=dev",
      "--no-audit",
      "--no-fund",
      "--no-package-lock",
      "--prefix",
      installDir,
      join(workDir, packed!.filename),
    ],
    installDir,
    150_000,
  );
  expect(install.code, install.stderr).toBe(0);
  installedBin = join(installDir, "node_modules", ".bin", "sse-tool");
}, 180_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe("the packed package, installed as npx installs it", () => {
  it("contains only what runs: bin, dist (without source maps), README, LICENSE", () => {
    expect(packedFiles).toContain("bin/sse-tool.js");
    expect(packedFiles).toContain("bin/older-node.js");
    expect(packedFiles).toContain("dist/cli.js");
    for (const path of packedFiles) {
      expect(path).toMatch(
        /^(bin\/(sse-tool|older-node)\.js|dist\/[\w-]+\.js|README\.md|LICENSE|package\.json)$/,
      );
    }
  });

  it("installs only the runtime dependencies", async () => {
    const installed = (await readdir(join(installDir, "node_modules"))).filter(
      (name) => !name.startsWith("."),
    );
    expect(installed.sort()).toEqual([
      "chalk",
      "commander",
      "eventsource-parser",
      "sse-tool",
      "undici",
    ]);
  });

  it("runs --version through the bin link and its shebang", async () => {
    const packageJson = (await import("../../package.json", { with: { type: "json" } })).default;
    const result = await run(installedBin, ["--version"], installDir);
    expect(result).toEqual({ code: 0, stdout: `${packageJson.version}\n`, stderr: "" });
  });

  it("runs --help", async () => {
    const result = await run(installedBin, ["--help"], installDir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Usage: sse-tool /);
    for (const command of ["listen", "serve", "demo", "completion"]) {
      expect(result.stdout).toContain(`  ${command} `);
    }
  });

  it("runs demo to the end", async () => {
    const result = await run(installedBin, ["demo", "--no-color"], installDir);
    expect(result.stderr).not.toMatch(/unexpected error|ERR_MODULE_NOT_FOUND/);
    expect(result.code, result.stderr).toBe(0);
    // The sample stream's events, one or more lines each.
    expect(result.stdout.split("\n").filter((line) => line.trim() !== "").length).toBeGreaterThan(
      3,
    );
  });

  describe("listen against a local server", () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startTestServer({
        "/events": (_request, response) => {
          response.writeHead(200, eventStreamHeaders);
          response.end('event: greeting\ndata: hello\nid: 1\n\ndata: {"n":2}\n\n');
        },
      });
    });

    afterAll(async () => {
      await server.close();
    });

    it("shows the stream's events as JSON lines", async () => {
      const result = await run(
        installedBin,
        ["listen", "--json", "--no-reconnect", `${server.url}/events`],
        installDir,
      );
      expect(result.code, result.stderr).toBe(0);
      const events = result.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { event: string; data: string; id: string });
      expect(events).toMatchObject([
        { event: "greeting", data: "hello", id: "1" },
        { event: "message", data: '{"n":2}' },
      ]);
    });
  });
});
