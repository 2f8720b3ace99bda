// Bundles src/ into dist/ with esbuild: one small entry plus lazily loaded chunks per
// subcommand, so `sse-tool --version` does not pay for undici or the server code.
import { readdir, rm } from "node:fs/promises";
import { basename } from "node:path";
import { build } from "esbuild";

const result = await build({
  entryPoints: ["src/cli.ts"],
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: true,
  metafile: true,
  logLevel: "warning",
});

// Chunk names carry a content hash, so every change leaves old chunks behind, and `npm pack`
// would ship them. Remove what this build did not write, after it wrote the new files (never
// before: tests running meanwhile must always find a complete dist/).
const written = new Set(Object.keys(result.metafile.outputs).map((path) => basename(path)));
for (const name of await readdir("dist")) {
  if (!written.has(name)) await rm(`dist/${name}`, { force: true, recursive: true });
}
