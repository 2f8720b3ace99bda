/**
 * `import { test, expect } from "sse-tool/playwright"`: Playwright Test with a fake SSE server
 * as a fixture: `sse` for each test, `sseShared` for each worker (tests running at once then
 * tell their streams apart by their own faults and their journal entries). Or
 * `base.extend(sseFixtures)` on a test of your own. @playwright/test is a peer dependency.
 */
import { test as baseTest, type Fixtures } from "@playwright/test";
import { startServer } from "../library.js";
import type { RunningServer, ServerOptions } from "../library-options.js";

export { expect } from "@playwright/test";

/** The fixtures of each test. */
export interface SseFixtures {
  /** The options `sse` starts with: `test.use({ sseOptions: { ids: true } })`. */
  sseOptions: ServerOptions;
  /** A server started for this test, closed after it. */
  sse: RunningServer;
}

/** The fixtures of each worker. */
export interface SseWorkerFixtures {
  /** The options `sseShared` starts with: `test.use({ sseSharedOptions: { ... } })`. */
  sseSharedOptions: ServerOptions;
  /** One server for all the tests a worker runs, closed when the worker ends. */
  sseShared: RunningServer;
}

/** Starts a server for `use`, and closes it once `use` is done with it. */
async function serve(options: ServerOptions, use: (server: RunningServer) => Promise<void>) {
  const server = await startServer(options);
  try {
    await use(server);
  } finally {
    await server.close();
  }
}

/** The fixtures, for `base.extend(sseFixtures)` on a test of your own. */
export const sseFixtures: Fixtures<SseFixtures, SseWorkerFixtures> = {
  sseOptions: [{}, { option: true }],
  sse: async ({ sseOptions }, use) => serve(sseOptions, use),
  sseSharedOptions: [{}, { option: true, scope: "worker" }],
  sseShared: [
    async ({ sseSharedOptions }, use) => serve(sseSharedOptions, use),
    { scope: "worker" },
  ],
};

/** Playwright's `test` with `sse` and `sseShared`. */
export const test = baseTest.extend<SseFixtures, SseWorkerFixtures>(sseFixtures);
