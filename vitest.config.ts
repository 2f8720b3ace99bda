import { defineConfig } from "vitest/config";
import { browserBundleVitePlugin } from "./scripts/browser-bundle.js";

/**
 * Tests that need programs from outside npm (Debian's Chromium, zsh, fish, GNU time, a Node.js
 * older than the floor) are named *.system.test.ts and run in the "system" project: `npm run
 * test:system`, which .ci/run runs after installing those programs. `npm test` runs the "main"
 * project.
 */
const systemTests = "test/**/*.system.test.ts";

export default defineConfig({
  // `import script from "./script.ts?browser"`, as scripts/build.js bundles it.
  plugins: [browserBundleVitePlugin()],
  test: {
    // End-to-end tests spawn the built binary and real servers; give them room on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    projects: [
      { test: { name: "main", include: ["test/**/*.test.ts"], exclude: [systemTests] } },
      { test: { name: "system", include: [systemTests] } },
    ],
  },
});
