/**
 * `load`'s text report ends with sparklines where colour is on (FORCE_COLOR stands for a
 * terminal here), and with the numbers alone when piped or with NO_COLOR.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli-process.js";
import { startTestServer, type TestServer } from "../../helpers/http-test-server.js";
import { broadcast } from "../load-scenarios.js";

let server: TestServer;

beforeAll(async () => {
  const ids = Array.from({ length: 300 }, (_, index) => index + 1);
  server = await startTestServer({
    "/a": broadcast({ clients: 2, ids, everyMs: 8 }),
    "/b": broadcast({ clients: 2, ids, everyMs: 8 }),
    "/c": broadcast({ clients: 2, ids, everyMs: 8 }),
  });
});
afterAll(async () => {
  await server.close();
});

const run = (path: string, env: Record<string, string>) =>
  runCli(["load", "-c", "2", "--duration", "3", `${server.url}${path}`], { env });

describe("load: sparklines at the end of the text report", () => {
  it("draws them where colour is on", async () => {
    const result = await run("/a", { FORCE_COLOR: "1" });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/over time \(\d+ s\)/);
    expect(result.stdout).toMatch(/events\/s +[▁▂▃▄▅▆▇█]+/);
    expect(result.stdout).toMatch(/first event +[▁▂▃▄▅▆▇█]+ /);
  });

  it("leaves them out when piped, and with NO_COLOR", async () => {
    for (const [path, env] of [
      ["/b", {}],
      ["/c", { NO_COLOR: "1" }],
    ] as const) {
      const result = await run(path, env);
      expect(result.code).toBe(0);
      expect(result.stdout).not.toMatch(/over time|[▁▂▃▄▅▆▇█]/);
    }
  });
});
