import { defineConfig } from "vitest/config";
import { browserBundleVitePlugin } from "./scripts/browser-bundle.js";

export default defineConfig({
  // `import script from "./viewer-script.ts?browser"`, as scripts/build.js bundles it.
  plugins: [browserBundleVitePlugin()],
  test: {
    include: ["test/**/*.test.ts"],
    // End-to-end tests spawn the built binary and real servers; give them room on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    reporters: process.env.CI ? ["default"] : ["default"],
  },
});
