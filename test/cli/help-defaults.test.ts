/**
 * What --help says a default is, the code does: each number read from the help text is checked
 * against the behaviour or the constant it describes.
 */
import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import { defaultRetryMs } from "../../src/cli/request-options.js";
import {
  defaultWatchMs,
  defaultConnectTimeoutMs as doctorConnectMs,
} from "../../src/doctor/cli.js";
import { defaultConnectTimeoutMs as listenConnectMs } from "../../src/listen/cli.js";
import { PrettyEventFormatter } from "../../src/listen/output/pretty.js";
import { defaultConnectTimeoutMs as loadConnectMs } from "../../src/load/cli.js";
import { defaultMaxEventSizeBytes } from "../../src/sse/event-size.js";
import { runCli } from "../helpers/cli-process.js";

/** The help of a command as one line: commander wraps at 80 columns. */
async function helpOf(command: string): Promise<string> {
  const { stdout } = await runCli([command, "--help"]);
  return stdout.replace(/\s+/g, " ");
}

describe("help text states the defaults the code uses", () => {
  it("listen --full: data up to the size the help names is shown whole, longer data is shortened to the size it names", async () => {
    const help = await helpOf("listen");
    const stated =
      /--full show data longer than (\d+) KiB whole \(default: its first (\d+) KiB and its size\)/.exec(
        help,
      );
    expect(stated, help).not.toBeNull();
    const [wholeUpTo, shownOfLonger] = [Number(stated?.[1]) * 1024, Number(stated?.[2]) * 1024];
    const formatter = new PrettyEventFormatter({ chalk: new Chalk({ level: 0 }) });
    const shown = (data: string) =>
      formatter.formatEvent({ type: "message", data, lastEventId: "" }, "");

    expect(shown("x".repeat(10_000))).toBe(`message ${"x".repeat(10_000)}\n`);
    expect(shown("x".repeat(wholeUpTo))).toBe(`message ${"x".repeat(wholeUpTo)}\n`);
    expect(shown("x".repeat(wholeUpTo + 1))).toBe(
      `message ${"x".repeat(shownOfLonger)}… [${wholeUpTo + 1} bytes in all; --full shows all]\n`,
    );
  });

  it("the sizes and times each command's help names are its constants", async () => {
    const seconds = (ms: number) => `${ms / 1000}s`;
    const listen = await helpOf("listen");
    expect(listen).toContain(`(default: ${defaultMaxEventSizeBytes / 1024 ** 2}MiB)`);
    expect(listen).toContain(`(default: ${seconds(defaultRetryMs)})`);
    expect(listen).toContain(
      `--connect-timeout <duration> time allowed to connect and to receive response headers (a bare number is seconds) (default: ${seconds(listenConnectMs)})`,
    );
    const doctor = await helpOf("doctor");
    expect(doctor).toContain(`(default: ${seconds(doctorConnectMs)}, at most --duration)`);
    expect(doctor).toContain(`(default: ${seconds(defaultWatchMs)})`);
    const load = await helpOf("load");
    expect(load).toContain(`(a bare number is seconds) (default: ${seconds(loadConnectMs)})`);
  });
});
