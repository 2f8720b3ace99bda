/**
 * Runs the built binary under GNU time (`/usr/bin/time -f %M`): its exit code, output and peak
 * RSS, measured from outside rather than reported by the process itself.
 */
import { spawn } from "node:child_process";
import { binPath } from "./cli-process.js";

export interface MeasuredRun {
  code: number | null;
  stdout: string;
  stderr: string;
  peakRssKiB: number;
}

export function runMeasured(args: string[]): Promise<MeasuredRun> {
  return new Promise((resolve) => {
    const child = spawn(
      "/usr/bin/time",
      ["-f", "peak-rss-kib %M", process.execPath, binPath, ...args],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("close", () => {
      const match = /peak-rss-kib (\d+)\n$/.exec(stderr);
      const ownStderr = stderr.replace(
        /(Command exited with non-zero status \d+\n)?peak-rss-kib \d+\n$/,
        "",
      );
      const status = /Command exited with non-zero status (\d+)/.exec(stderr);
      resolve({
        code: status ? Number(status[1]) : 0,
        stdout,
        stderr: ownStderr,
        peakRssKiB: Number(match?.[1] ?? Number.NaN),
      });
    });
  });
}
