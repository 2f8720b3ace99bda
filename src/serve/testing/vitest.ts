/**
 * `import { useSseServer, test } from "sse-tool/vitest"`: a fake SSE server per test (or per
 * file) in Vitest, started before and closed after, its request journal at hand. Vitest is a
 * peer dependency: this module is only for test files that already run under it.
 */
import { afterAll, afterEach, test as baseTest, beforeAll, beforeEach } from "vitest";
import { startServer } from "../library.js";
import type { RunningServer, ServerOptions } from "../library-options.js";

/** Options of useSseServer(): startServer()'s, and how long one server lives. */
export interface UseSseServerOptions extends ServerOptions {
  /** `"test"` (default): a new server for each test; `"file"`: one for the file's tests. */
  scope?: "test" | "file";
}

/**
 * Registers hooks that start a server before each test (or once for the file) and close it
 * after; returns a handle whose members reach the server of the test running now.
 */
export function useSseServer(options: UseSseServerOptions = {}): RunningServer {
  const { scope = "test", ...serverOptions } = options;
  let current: RunningServer | undefined;
  const start = async () => {
    current = await startServer(serverOptions);
  };
  const stop = async () => {
    const server = current;
    current = undefined;
    await server?.close();
  };
  if (scope === "file") {
    beforeAll(start);
    afterAll(stop);
  } else {
    beforeEach(start);
    afterEach(stop);
  }
  const server = (): RunningServer => {
    if (current === undefined) {
      throw new Error("useSseServer(): the server runs inside tests (it starts in a before hook)");
    }
    return current;
  };
  return {
    get url() {
      return server().url;
    },
    get clientCount() {
      return server().clientCount;
    },
    get requests() {
      return server().requests;
    },
    publish: (event) => server().publish(event),
    waitForRequest: (predicate, waitOptions) => server().waitForRequest(predicate, waitOptions),
    close: () => server().close(),
  };
}

/** What `test` from this module adds to each test's context. */
export interface SseFixtures {
  /** The options `sse` starts with; change them with `test.override({ sseOptions })`. */
  sseOptions: ServerOptions;
  /** A server started for this test, closed after it. */
  sse: RunningServer;
}

/** Vitest's `test` with an `sse` fixture: `test("...", async ({ sse }) => { ... })`. */
export const test = baseTest.extend<SseFixtures>({
  sseOptions: {},
  sse: async ({ sseOptions }, use) => {
    const server = await startServer(sseOptions);
    try {
      await use(server);
    } finally {
      await server.close();
    }
  },
});
