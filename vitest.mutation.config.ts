import { defineConfig } from "vitest/config";

/**
 * The unit tests of the pure core, for mutation testing (`npm run test:mutation`, stryker.config.json):
 * no test here spawns the binary or starts a server, so each mutant runs in well under a second.
 */
export default defineConfig({
  test: {
    include: [
      "test/sse/*.test.ts",
      "test/terminal/escape.test.ts",
      "test/listen/formatters.test.ts",
      "test/listen/several-urls-units.test.ts",
      "test/serve/feeds/hub.test.ts",
      "test/serve/feeds/back-pressure.test.ts",
      "test/serve/input/formats.test.ts",
      "test/serve/access/access.test.ts",
      "test/http/loopback.test.ts",
      "test/http/request-headers.test.ts",
    ],
    exclude: ["test/**/*.system.test.ts"],
    // The decoder's heap measurement (gc between runs, 20 MB fed) takes seconds under Stryker's
    // instrumentation, for every decoder mutant: left out. detachedCopy's stays (its only check).
    testNamePattern: /^(?![\s\S]*what the parser holds is bounded too)/,
    testTimeout: 60_000,
  },
});
