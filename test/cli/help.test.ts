/**
 * The help text is the first documentation users read: snapshot it (so a change to it is a
 * deliberate one, reviewed in the diff), and check the contract scripts rely on: --version,
 * exit 0 for help, exit 2 for usage errors, nothing on stdout for errors.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli-process.js";
import { runPipeline } from "../helpers/sse-routes.js";

const { version } = JSON.parse(
  readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
);

describe("help text", () => {
  for (const args of [
    ["--help"],
    ["listen", "--help"],
    ["serve", "--help"],
    ["demo", "--help"],
    ["doctor", "--help"],
    ["load", "--help"],
    ["completion", "--help"],
  ]) {
    it(`sse-tool ${args.join(" ")}`, async () => {
      // Colour forced as on a terminal; off a TTY commander wraps at 80 columns, so it is stable.
      const result = await runCli(args, { env: { FORCE_COLOR: "1" } });
      expect(result.code).toBe(0);
      expect(result.stderr).toBe("");
      expect(result.stdout).toMatch(/Examples:|Usage:/);
      expect(result.stdout).toMatchSnapshot();
    });
  }

  it("every subcommand's help ends with the exit-code table", async () => {
    for (const command of ["listen", "serve", "doctor", "load"]) {
      const { stdout } = await runCli([command, "--help"]);
      expect(stdout, command).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 .*usage/);
    }
  });
});

describe("command-line contract", () => {
  it("help into a reader that has already gone (`| true`) exits 0 quietly", async () => {
    for (const args of [["--help"], ["listen", "--help"], ["completion", "bash"]]) {
      const { code, stderr } = await runPipeline(args, "true");
      expect({ args, code, stderr }).toEqual({ args, code: 0, stderr: "" });
    }
  });

  it("--version prints the package version", async () => {
    for (const flag of ["--version", "-V"]) {
      const result = await runCli([flag]);
      expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: "" });
    }
  });

  it.each([
    [["listen"], /missing required argument/],
    [["listen", "--bogus", "http://127.0.0.1:1/"], /unknown option '--bogus'/],
    [["listen", "-n", "many", "http://127.0.0.1:1/"], /expected a whole number/],
    [["listen", "ftp://example.com/"], /unsupported URL scheme ftp:/],
    [["serve", "--format", "xml"], /Allowed choices are auto, lines, ndjson, sse/],
    [["frobnicate"], /unknown command 'frobnicate'/],
  ])("usage error %j: exit 2, one message on stderr, nothing on stdout", async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
