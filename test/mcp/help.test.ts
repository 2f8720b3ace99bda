/** `sse-tool mcp --help`, snapshot-tested as the other commands' help is. */
import { expect, it } from "vitest";
import { runCli } from "../helpers/cli-process.js";

it("sse-tool mcp --help", async () => {
  const result = await runCli(["mcp", "--help"], { env: { COLUMNS: "100" } });
  expect(result.code).toBe(0);
  expect(result.stdout).not.toContain("--data");
  expect(result.stdout).toMatchSnapshot();
});
