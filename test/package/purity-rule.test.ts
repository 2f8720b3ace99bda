/**
 * The purity rule of design/LAYOUT.md, as biome.json states it: files that must stay pure fail
 * lint when they import node:* or undici (or read `process`, or print), and effect files do not.
 * Each probe is linted at a pure or an effect file's path, with the project's biome.json, in a
 * scratch directory (the working tree is not touched).
 */
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const biome = join(root, "node_modules/.bin/biome");

const effectImports =
  'import { readFile } from "node:fs/promises";\nimport { Agent } from "undici";\nexport const used = [readFile, Agent];\n';

/** Path (as in src/) -> probe content. */
const probes: Record<string, string> = {
  "src/sse/decoder.ts": effectImports,
  "src/terminal/escape.ts": effectImports,
  "src/listen/output/pretty.ts": effectImports,
  "src/listen/llm/view.ts": effectImports,
  "src/listen/outcome.ts": effectImports,
  "src/serve/feeds/hub.ts": effectImports,
  "src/serve/feeds/history-ring.ts": effectImports,
  "src/serve/feeds/back-pressure.ts": effectImports,
  "src/serve/viewer/stream-reader.ts": effectImports,
  "src/serve/input/formats.ts": effectImports,
  "src/serve/viewer/script.ts": effectImports,
  "src/doctor/checks/timing.ts": effectImports,
  "src/doctor/report.ts": effectImports,
  "src/doctor/stream-tally.ts": effectImports,
  "src/listen/decode-problems.ts": effectImports,
  "src/http/proxy-choice.ts": effectImports,
  "src/http/redirect.ts": effectImports,
  "src/recording/format.ts": effectImports,
  "src/http/redaction.ts": effectImports,
  "src/serve/feeds/replay-plan.ts": effectImports,
  "src/serve/faults/fault-options.ts": effectImports,
  "src/serve/http/publish-body.ts": "export const home = process.env.HOME;\nconsole.log(home);\n",
  "src/serve/access/access.ts":
    'import { timingSafeEqual } from "node:crypto";\nimport { readFile } from "node:fs";\nexport const used = [timingSafeEqual, readFile];\n',
  // Effect modules: the rule does not apply.
  "src/serve/http/sse-server.ts": effectImports,
  "src/http/client.ts": effectImports,
  "src/listen/run.ts": effectImports,
};

let output = "";

beforeAll(async () => {
  const scratch = await mkdtemp(join(tmpdir(), "sse-tool-purity-"));
  try {
    await copyFile(join(root, "biome.json"), join(scratch, "biome.json"));
    for (const [path, content] of Object.entries(probes)) {
      await mkdir(join(scratch, dirname(path)), { recursive: true });
      await writeFile(join(scratch, path), content);
    }
    const result = await promisify(execFile)(
      biome,
      ["lint", "--vcs-enabled=false", "--max-diagnostics=none", "--colors=off", "src"],
      { cwd: scratch },
    ).catch((error: { stdout: string; stderr: string }) => error);
    output = `${result.stdout}\n${result.stderr}`;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
});

/** The rules biome reported for `path`, as `line:rule`. */
function reported(path: string): string[] {
  const pattern = new RegExp(`^${path.replace(/[.]/g, "\\.")}:(\\d+):\\d+ lint/style/(\\w+)`, "gm");
  // Sorted: biome lints files on several threads and may print a file's diagnostics in any order.
  return [...output.matchAll(pattern)].map((match) => `${match[1]}:${match[2]}`).sort();
}

describe("purity rule (biome.json overrides)", () => {
  it.each([
    "src/sse/decoder.ts",
    "src/terminal/escape.ts",
    "src/listen/output/pretty.ts",
    "src/listen/llm/view.ts",
    "src/listen/outcome.ts",
    "src/serve/feeds/hub.ts",
    "src/serve/feeds/history-ring.ts",
    "src/serve/feeds/back-pressure.ts",
    "src/serve/viewer/stream-reader.ts",
    "src/serve/input/formats.ts",
    "src/serve/viewer/script.ts",
    "src/doctor/checks/timing.ts",
    "src/doctor/report.ts",
    "src/doctor/stream-tally.ts",
    "src/listen/decode-problems.ts",
    "src/http/proxy-choice.ts",
    "src/http/redirect.ts",
    "src/recording/format.ts",
    "src/http/redaction.ts",
    "src/serve/feeds/replay-plan.ts",
    "src/serve/faults/fault-options.ts",
  ])("%s: importing node:* or undici fails lint", (path) => {
    expect(reported(path)).toEqual(["1:noRestrictedImports", "2:noRestrictedImports"]);
  });

  it("a pure file does not read the process or print", () => {
    expect(reported("src/serve/http/publish-body.ts")).toEqual([
      "1:noRestrictedGlobals",
      "2:noRestrictedGlobals",
    ]);
  });

  it("access/access.ts may take node:crypto's constant-time comparison, nothing else", () => {
    expect(reported("src/serve/access/access.ts")).toEqual(["2:noRestrictedImports"]);
  });

  it.each(["src/serve/http/sse-server.ts", "src/http/client.ts", "src/listen/run.ts"])(
    "%s (effects) may import them",
    (path) => {
      expect(reported(path)).toEqual([]);
    },
  );
});
