// Bundles src/ into dist/ with esbuild: one small entry plus lazily loaded chunks per
// subcommand, so `sse-tool --version` does not pay for undici or the server code.
//
// Start-up (`npm run bench`, "6 start-up"):
// - commander is bundled: no node_modules lookup and no package.json resolution for it on
//   every run. undici and chalk stay external; only the subcommands that need them load them.
// - commander's Node.js built-ins come from process.getBuiltinModule(), child_process and
//   util only on use (commanderBuiltins).
// - `sse-tool --version` / `-V` alone is answered by dist/cli.js before anything loads.
//
// Browser scripts (the viewer page's) are TypeScript too: `import x from "./file.ts?browser"`
// gets the file bundled for the browser as a string (scripts/browser-bundle.js).
// The HTML reports (`load --report`, `doctor --report`) carry their chart library this way:
// src/report-html/charts-script.ts imports uPlot, a devDependency, so the library is inlined
// into the page at build time (no runtime dependency, nothing fetched when the page opens),
// in a chunk that only `--report` loads.
//
// The library (`import { startServer, listen } from "sse-tool"`, src/index.ts) is a second
// entry, dist/index.js, sharing chunks with the command line; its types are emitted by tsc
// (tsconfig.types.json) and only the declaration files the public API reaches are kept:
// dist/index.d.ts and the few it imports. The test fixtures (`sse-tool/vitest`,
// `sse-tool/playwright`) are two more entries, dist/vitest.js and dist/playwright.js.
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, posix, sep } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { browserBundleEsbuildPlugin } from "./browser-bundle.js";

const packageJson = JSON.parse(await readFile("package.json", "utf8"));
const bundledPackages = new Set(["commander"]);
// The test runners the fixtures plug into (sse-tool/vitest, sse-tool/playwright) are the
// project's own, as optional peer dependencies: never bundled.
const external = [
  ...Object.keys(packageJson.dependencies ?? {}),
  ...Object.keys(packageJson.peerDependencies ?? {}),
].filter((name) => !bundledPackages.has(name));

/**
 * An ES import of a Node.js built-in builds its whole namespace: `node:process` reads every
 * property (process.stdin too), `node:util` and `node:fs` load streams. commander, which runs
 * before a command is chosen, gets its built-ins from process.getBuiltinModule() instead, and
 * `node:child_process` (only for executable subcommands, which sse-tool has none of) and
 * `node:util` (only stripVTControlCharacters, which src/cli/commander-output.ts replaces) only
 * on first use.
 * @type {import("esbuild").Plugin}
 */
const commanderBuiltins = {
  name: "commander-builtins",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^node:/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
        ? { path: args.path, namespace: "commander-builtin" }
        : undefined,
    );
    const contents = {
      "node:child_process": `let loaded; export default new Proxy({}, { get: (_, key) => (loaded ??= process.getBuiltinModule("node:child_process"))[key] });`,
      "node:util": `export const stripVTControlCharacters = (text) => process.getBuiltinModule("node:util").stripVTControlCharacters(text);`,
      "node:events": `export const { EventEmitter } = process.getBuiltinModule("node:events");`,
      "node:path": `export default process.getBuiltinModule("node:path");`,
      "node:fs": `export default process.getBuiltinModule("node:fs");`,
      "node:process": "export default process;",
    };
    pluginBuild.onLoad({ filter: /.*/, namespace: "commander-builtin" }, (args) => {
      if (!(args.path in contents)) throw new Error(`commander imports ${args.path}: add it here`);
      return { contents: contents[args.path], loader: "js" };
    });
  },
};

const result = await build({
  entryPoints: [
    { in: "src/main.ts", out: "command-line" },
    { in: "src/index.ts", out: "index" },
    { in: "src/serve/testing/vitest.ts", out: "vitest" },
    { in: "src/serve/testing/playwright.ts", out: "playwright" },
  ],
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22",
  external,
  plugins: [commanderBuiltins, browserBundleEsbuildPlugin],
  sourcemap: true,
  metafile: true,
  write: false,
  logLevel: "warning",
});

// dist/cli.js answers --version (-V) alone without loading a module; anything else starts
// the command line (src/main.ts, built as dist/command-line.js).
const versionFirst = `if (process.argv.length === 3 && (process.argv[2] === "--version" || process.argv[2] === "-V")) {
  try {
    process.getBuiltinModule("node:fs").writeSync(1, ${JSON.stringify(`${packageJson.version}\n`)});
  } catch {}
} else {
  await import("./command-line.js");
}
`;

await mkdir("dist", { recursive: true });
// Each file is written to a temporary name and renamed into place, so tests running meanwhile
// never read a half-written file.
for (const file of [
  ...result.outputFiles,
  { path: join(process.cwd(), "dist", "cli.js"), text: versionFirst },
]) {
  await writeFile(`${file.path}.tmp`, file.text);
  await rename(`${file.path}.tmp`, file.path);
}

const declarations = await emitDeclarations();

// Chunk names carry a content hash, so every change leaves old chunks behind, and `npm pack`
// would ship them. Remove what this build did not write, after it wrote the new files (never
// before: tests running meanwhile must always find a complete dist/).
const written = new Set([
  "cli.js",
  ...Object.keys(result.metafile.outputs).map((path) => basename(path)),
  ...declarations.map((path) => path.split("/")[0]),
]);
for (const name of await readdir("dist")) {
  if (!written.has(name)) await rm(`dist/${name}`, { force: true, recursive: true });
}
// Declarations in sub-folders: a moved source file leaves its old declaration behind.
const declared = new Set(declarations);
for (const path of await readdir("dist", { recursive: true })) {
  const posixPath = path.split(sep).join("/");
  if (posixPath.endsWith(".d.ts") && !declared.has(posixPath)) await rm(`dist/${posixPath}`);
}

/**
 * The library's declaration files: tsc emits those of everything src/index.ts imports into a
 * scratch folder; the ones the public types reach (following the `from "./..."` of each
 * declaration file, starting at index.d.ts) are copied into dist/. Returns their paths in
 * dist/.
 */
async function emitDeclarations() {
  const scratch = await mkdtemp(join(tmpdir(), "sse-tool-types-"));
  try {
    const tsc = join("node_modules", "typescript", "bin", "tsc");
    await promisify(execFile)(process.execPath, [
      tsc,
      "-p",
      "tsconfig.types.json",
      "--outDir",
      scratch,
    ]);
    const reached = [];
    const pending = ["index.d.ts", "serve/testing/vitest.d.ts", "serve/testing/playwright.d.ts"];
    while (pending.length > 0) {
      const path = pending.pop();
      if (reached.includes(path)) continue;
      reached.push(path);
      const text = await readFile(join(scratch, path), "utf8");
      for (const match of text.matchAll(/from "(\.{1,2}\/[^"]+)\.js"/g)) {
        pending.push(posix.normalize(posix.join(posix.dirname(path), `${match[1]}.d.ts`)));
      }
    }
    for (const path of reached) {
      await mkdir(dirname(join("dist", path)), { recursive: true });
      await cp(join(scratch, path), join("dist", `${path}.tmp`));
      await rename(join("dist", `${path}.tmp`), join("dist", path));
    }
    return reached;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
