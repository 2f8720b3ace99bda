/**
 * The package as `npx sse-tool` meets it: `npm pack`, then `npm install --omit=dev` of the
 * tarball into an empty folder (dependencies come from the npm registry), then the installed
 * `node_modules/.bin/sse-tool` run through its shebang. Catches a file missing from `files`, a
 * dev dependency used at run time, a broken shebang or bin link.
 *
 * The library too, as a project that depends on it meets it: `import { startServer, listen }
 * from "sse-tool"` runs each of the README's library examples, and `tsc` checks a file that uses
 * the shipped types (and refuses one that misuses them).
 *
 * Needs `npm run build` first (as every end-to-end test does): the pack skips `prepare` so it
 * does not rebuild dist/ under the other tests' feet.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eventStreamHeaders,
  startTestServer,
  type TestServer,
} from "../helpers/http-test-server.js";
import { readmeExample } from "../helpers/readme-examples.js";

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

/** Runs a README example, as the file a user would write, in the installed project. */
async function runExample(name: string): Promise<RunResult> {
  const file = join(installDir, `example-${name}.mjs`);
  await writeFile(file, readmeExample(name));
  const result = await run(process.execPath, [file], installDir, 20_000);
  expect(result.code, `${name}: ${result.stderr}`).toBe(0);
  expect(result.stderr).toBe("");
  return result;
}

describe("the packed package, installed as npx installs it", () => {
  it("contains only what runs: bin, dist (without source maps), the library's types, README, LICENSE", () => {
    expect(packedFiles).toContain("bin/sse-tool.js");
    expect(packedFiles).toContain("bin/older-node.js");
    expect(packedFiles).toContain("dist/cli.js");
    expect(packedFiles).toContain("dist/index.js");
    expect(packedFiles).toContain("dist/index.d.ts");
    for (const path of packedFiles) {
      expect(path).toMatch(
        /^(bin\/(sse-tool|older-node)\.js|dist\/[\w-]+\.js|dist\/([\w-]+\/)*[\w-]+\.d\.ts|README\.md|LICENSE|package\.json)$/,
      );
    }
    // Only the declarations the public API reaches (the library, its fakes and fixtures), not one
    // per source file.
    expect(packedFiles.filter((path) => path.endsWith(".d.ts")).length).toBeLessThanOrEqual(16);
    expect(packedFiles).toContain("dist/vitest.js");
    expect(packedFiles).toContain("dist/playwright.js");
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

  it("ships types that tsc checks a user's code against", async () => {
    await writeFile(
      join(installDir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          lib: ["es2023", "dom"],
          types: [],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
        },
        files: ["uses-types.mts"],
      }),
    );
    await writeFile(
      join(installDir, "uses-types.mts"),
      `import { type ListenEvent, listen, type RunningServer, SseToolError, startServer } from "sse-tool";

const server: RunningServer = await startServer({ ids: true, dropAfter: 3, chunkSplit: "random", speed: undefined });
const id: string | undefined = server.publish({ event: "x", data: { n: 1 } });
const events: ListenEvent[] = [];
try {
  for await (const event of listen(server.url, { retry: 100, headers: { "X-Trace": "1" } })) {
    events.push(event);
    const text: string = event.data + event.type + event.lastEventId;
    if (text.length > 0) break;
  }
} catch (error) {
  if (error instanceof SseToolError && error.code === "connect") throw error;
}
await server.close();
export { id };
`,
    );
    const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
    const checked = await run(process.execPath, [tsc, "-p", installDir], installDir);
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);

    await writeFile(
      join(installDir, "uses-types.mts"),
      `import { listen, startServer } from "sse-tool";
await startServer({ dropAfter: "3" });
for await (const event of listen("http://127.0.0.1/")) event.nope;
`,
    );
    const refused = await run(process.execPath, [tsc, "-p", installDir], installDir);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toMatch(
      /uses-types\.mts\(2,.*'string' is not assignable to type 'number'/,
    );
    expect(refused.stdout).toMatch(/uses-types\.mts\(3,.*Property 'nope' does not exist/);
  });

  it("resolves sse-tool/vitest and sse-tool/playwright, whose types check with the runners installed", async () => {
    // The test runners (optional peers) installed beside sse-tool, as a project that uses the
    // fixtures has them: the repository's own, linked in for this test only.
    const project = join(installDir, "fixtures-project");
    await mkdir(project);
    await writeFile(join(project, "package.json"), '{ "private": true, "type": "module" }\n');
    const peers = [
      join(installDir, "node_modules", "vitest"),
      join(installDir, "node_modules", "@playwright"),
    ];
    await symlink(join(repoRoot, "node_modules", "vitest"), peers[0]!);
    await symlink(join(repoRoot, "node_modules", "@playwright"), peers[1]!);
    try {
      await checkFixtureTypes(project);
    } finally {
      for (const peer of peers) await rm(peer, { force: true });
    }
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

    it('runs the README\'s library examples with `import { startServer, listen } from "sse-tool"`', async () => {
      const basics = await runExample("library-basics");
      expect(basics.stdout).toContain("{ type: 'greeting', data: 'hello', lastEventId: '1' }");
      expect(basics.stdout).toContain(`{ type: 'message', data: '{"n":2}', lastEventId: '2' }`);

      const faults = await runExample("library-faults");
      expect(faults.stdout).toContain(
        "[ 'update 1', 'update 2', 'update 3', 'update 4', 'update 5' ]",
      );

      // The replay example's stream.jsonl, recorded by the installed binary.
      const recorded = await run(
        installedBin,
        ["listen", "--no-reconnect", "--record", "stream.jsonl", `${server.url}/events`],
        installDir,
      );
      expect(recorded.code, recorded.stderr).toBe(0);
      const replay = await runExample("library-replay");
      expect(replay.stdout).toBe('hello\n{"n":2}\n');

      const journal = await runExample("library-journal");
      expect(journal.stdout).toBe('4 4\ndrop-after=2 2\n1\n"data: from the test\\n\\n"\n');
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

/** Resolves the fixtures' subpaths from `project` and typechecks a file that uses them. */
async function checkFixtureTypes(project: string): Promise<void> {
  const resolved = await run(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      'for (const name of ["sse-tool/vitest", "sse-tool/playwright"]) console.log(import.meta.resolve(name));',
    ],
    project,
  );
  expect(resolved.code, resolved.stderr).toBe(0);
  expect(resolved.stdout).toMatch(
    /node_modules\/sse-tool\/dist\/vitest\.js\n.*\/dist\/playwright\.js\n$/,
  );
  await writeFile(
    join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        module: "nodenext",
        moduleResolution: "nodenext",
        target: "es2022",
        lib: ["es2023", "dom"],
        types: [],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
      },
      files: ["uses-fixtures.mts"],
    }),
  );
  const usesFixtures = `import { test as playwrightTest, expect, type SseFixtures } from "sse-tool/playwright";
import { test, useSseServer } from "sse-tool/vitest";
import type { JournalRequest } from "sse-tool";

const sse = useSseServer({ ids: true, scope: "file" });
test("vitest", async ({ sse: perTest }) => {
  const request: JournalRequest = await perTest.waitForRequest((entry) => entry.lastEventId === "2", { timeout: 100 });
  const seq: number = request.seq + sse.requests.length;
  return void seq;
});
playwrightTest.use({ sseOptions: { dropAfter: 3 } });
playwrightTest("playwright", async ({ sse: server, sseShared }) => {
  const options: SseFixtures["sseOptions"] = { latency: 5 };
  expect(server.url).not.toBe(sseShared.url + String(options.latency));
});
`;
  await writeFile(join(project, "uses-fixtures.mts"), usesFixtures);
  const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  const checked = await run(process.execPath, [tsc, "-p", project], project);
  expect(checked.code, checked.stdout + checked.stderr).toBe(0);
  await writeFile(
    join(project, "uses-fixtures.mts"),
    usesFixtures.replace("{ dropAfter: 3 }", '{ dropAfter: "3" }'),
  );
  const refused = await run(process.execPath, [tsc, "-p", project], project);
  // The wrong option type is refused (TS2322, at line 11's sseOptions), nothing else.
  expect(refused.stdout).toMatch(/^uses-fixtures\.mts\(11,\d+\): error TS2322: .*\n(\s.*\n)*$/);
}
