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
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { build } from "esbuild";
import { browserBundleEsbuildPlugin } from "./browser-bundle.js";

const packageJson = JSON.parse(await readFile("package.json", "utf8"));
const bundledPackages = new Set(["commander"]);
const external = Object.keys(packageJson.dependencies ?? {}).filter(
  (name) => !bundledPackages.has(name),
);

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
  entryPoints: ["src/cli.ts"],
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

// Chunk names carry a content hash, so every change leaves old chunks behind, and `npm pack`
// would ship them. Remove what this build did not write, after it wrote the new files (never
// before: tests running meanwhile must always find a complete dist/).
const written = new Set(Object.keys(result.metafile.outputs).map((path) => basename(path)));
for (const name of await readdir("dist")) {
  if (!written.has(name)) await rm(`dist/${name}`, { force: true, recursive: true });
}
