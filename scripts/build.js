// Bundles src/ into dist/ with esbuild: one small entry plus lazily loaded chunks per
// subcommand, so `sse-tool --version` does not pay for undici or the server code.
//
// Start-up (issue 8, measured with `npm run bench`, "6 start-up"):
// - commander is bundled into the entry: no node_modules lookup and no package.json
//   resolution for it on every run. undici and chalk stay external; only the subcommands that
//   need them load them.
// - commander's import of `node:child_process` is served lazily (see lazyChildProcess).
// - `sse-tool --version` / `-V` alone is answered before commander is initialised.
//
// Browser scripts (the viewer page's) are TypeScript too: `import x from "./file.ts?browser"`
// gets the file bundled for the browser as a string (scripts/browser-bundle.js).
//
// The library (`import { startServer, listen } from "sse-tool"`, src/index.ts) is a second
// entry, dist/index.js, sharing chunks with the command line; its types are emitted by tsc
// (tsconfig.types.json) and only the declaration files the public API reaches are kept:
// dist/index.d.ts and the few it imports. The test fixtures (`sse-tool/vitest`,
// `sse-tool/playwright`) are two more entries, dist/vitest.js and dist/playwright.js.
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, posix } from "node:path";
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
 * commander (ESM since 15) imports `node:child_process` only to spawn executable subcommands,
 * which sse-tool has none of; loading it costs every run a dozen internal modules. Its default
 * import becomes a stand-in that loads the real module on first use.
 * @type {import("esbuild").Plugin}
 */
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
        ? { path: "node:child_process", namespace: "lazy-builtin" }
        : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, () => ({
      contents: `let loaded; export default new Proxy({}, { get: (_, key) => (loaded ??= process.getBuiltinModule("node:child_process"))[key] });`,
      loader: "js",
    }));
  },
};

const result = await build({
  entryPoints: [
    "src/cli.ts",
    "src/index.ts",
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
  plugins: [lazyChildProcess, browserBundleEsbuildPlugin],
  sourcemap: true,
  metafile: true,
  write: false,
  logLevel: "warning",
});

const entryPrelude = [
  "// Added by scripts/build.js: answers --version before commander is initialised.",
  `if (process.argv.length === 3 && (process.argv[2] === "--version" || process.argv[2] === "-V")) {`,
  "  try {",
  `    process.getBuiltinModule("node:fs").writeSync(1, ${JSON.stringify(`${packageJson.version}\n`)});`,
  "  } catch {}",
  "  process.exit(0);",
  "}",
];

await mkdir("dist", { recursive: true });
// Each file is written to a temporary name and renamed into place, so tests running meanwhile
// never read a half-written file.
for (const file of result.outputFiles) {
  let contents = file.text;
  if (basename(file.path) === "cli.js") {
    contents = `${entryPrelude.join("\n")}\n${contents}`;
  } else if (basename(file.path) === "cli.js.map") {
    // The prelude adds lines with no source: one empty line group each in the mappings.
    const map = JSON.parse(contents);
    map.mappings = ";".repeat(entryPrelude.length) + map.mappings;
    contents = JSON.stringify(map);
  }
  await writeFile(`${file.path}.tmp`, contents);
  await rename(`${file.path}.tmp`, file.path);
}

const declarations = await emitDeclarations();

// Chunk names carry a content hash, so every change leaves old chunks behind, and `npm pack`
// would ship them. Remove what this build did not write, after it wrote the new files (never
// before: tests running meanwhile must always find a complete dist/).
const written = new Set([
  ...Object.keys(result.metafile.outputs).map((path) => basename(path)),
  ...declarations.map((path) => path.split("/")[0]),
]);
for (const name of await readdir("dist")) {
  if (!written.has(name)) await rm(`dist/${name}`, { force: true, recursive: true });
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
