// Browser scripts the server pages carry inline, built from TypeScript at build time: an import
// whose specifier ends in "?browser" (`import viewerScript from "./script.ts?browser"`)
// yields the file bundled by esbuild, with what it imports, into one script, as a string.
// scripts/build.js uses the esbuild plugin; vitest.config.ts the Vite plugin, so tests that
// run the sources see the same script. Types: src/browser-bundle.d.ts.
import { dirname, resolve } from "node:path";
import { build } from "esbuild";

const suffix = "?browser";

/**
 * The script at `entry` and its imports as one IIFE for current browsers.
 * @param {string} entry absolute path of a .ts file
 * @returns {Promise<string>}
 */
export async function bundleBrowserScript(entry) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    write: false,
    legalComments: "none",
    logLevel: "warning",
  });
  const text = result.outputFiles[0]?.text ?? "";
  // The script goes inside <script>...</script>: these would end it or change how it is read.
  if (/<\/script|<!--/i.test(text)) {
    throw new Error(`${entry}: the bundled script holds "</script" or "<!--"`);
  }
  return text;
}

/** @param {string} script */
const asModule = (script) => `export default ${JSON.stringify(script)};\n`;

/** @type {import("esbuild").Plugin} */
export const browserBundleEsbuildPlugin = {
  name: "browser-bundle",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /\?browser$/ }, (args) => ({
      path: resolve(args.resolveDir, args.path.slice(0, -suffix.length)),
      namespace: "browser-bundle",
    }));
    pluginBuild.onLoad({ filter: /.*/, namespace: "browser-bundle" }, async (args) => ({
      contents: asModule(await bundleBrowserScript(args.path)),
      loader: "js",
    }));
  },
};

const virtualPrefix = "\0browser-bundle:";

/** @returns {import("vitest/config").Plugin} */
export function browserBundleVitePlugin() {
  return {
    name: "browser-bundle",
    enforce: "pre",
    resolveId(id, importer) {
      if (!id.endsWith(suffix) || importer === undefined) return null;
      return virtualPrefix + resolve(dirname(importer), id.slice(0, -suffix.length));
    },
    async load(id) {
      if (!id.startsWith(virtualPrefix)) return null;
      const entry = id.slice(virtualPrefix.length);
      this.addWatchFile(entry);
      return asModule(await bundleBrowserScript(entry));
    },
  };
}
