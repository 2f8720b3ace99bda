// Bundles src/ into dist/ with esbuild: one small entry plus lazily loaded chunks per
// subcommand, so `sse-tool --version` does not pay for undici or the server code.
//
// Start-up (issue 8, measured with `npm run bench`, "6 start-up"):
// - commander is bundled into the entry: no node_modules lookup, no CommonJS loader and
//   named-export lexer pass for it on every run. undici and chalk stay external; only the
//   subcommands that need them load them.
// - commander's `require`s of node builtins are served without `createRequire` and without
//   loading `node:child_process` (see builtinsForBundledCommonJs).
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
 * Bundled CommonJS (commander) `require`s node builtins; in an ESM bundle esbuild would turn
 * that into a `require` that does not exist. Each such builtin becomes a one-line module that
 * takes it from `process.getBuiltinModule` (Node >= 20.16; `createRequire` would load
 * `node:module` and a dozen internal modules with it). `node:child_process` is looked up on
 * first use: commander only spawns for executable subcommands, which sse-tool has none of.
 * @type {import("esbuild").Plugin}
 */
const builtinsForBundledCommonJs = {
  name: "builtins-for-bundled-commonjs",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^(node:)?[a-z_]+$/ }, (args) => {
      if (args.kind !== "require-call") return undefined;
      const id = args.path.startsWith("node:") ? args.path : `node:${args.path}`;
      return { path: id, namespace: "builtin" };
    });
    pluginBuild.onLoad({ filter: /.*/, namespace: "builtin" }, (args) => ({
      contents:
        args.path === "node:child_process"
          ? `let loaded; module.exports = new Proxy({}, { get: (_, key) => (loaded ??= process.getBuiltinModule("node:child_process"))[key] });`
          : `module.exports = process.getBuiltinModule(${JSON.stringify(args.path)});`,
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
  target: "node20",
  external,
  plugins: [builtinsForBundledCommonJs, browserBundleEsbuildPlugin],
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
