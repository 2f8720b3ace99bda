/** Doctor's report on stdout, as --json or as the terminal checklist: live or from a recording. */
import type { CommandIo } from "../cli/command-io.js";
import { chalkFor } from "../terminal/chalk.js";
import type { DoctorCliOptions } from "./cli.js";
import { formatComparison, type WatchComparison } from "./compare.js";
import { type DoctorReport, formatDoctorJson, formatDoctorReport } from "./report.js";

export function writeDoctorReport(
  io: CommandIo,
  options: Pick<DoctorCliOptions, "json" | "color">,
  report: DoctorReport,
  comparison?: WatchComparison,
): void {
  if (options.json) {
    const json = comparison ? { ...report, compare: comparison } : report;
    io.stdout.write(formatDoctorJson(json, io.stdout.isTTY === true));
    return;
  }
  const chalk = chalkFor({
    colorFlag: options.color,
    env: io.env,
    stream: io.stdout,
    standsFor: "stdout",
  });
  io.stdout.write(formatDoctorReport(report, chalk));
  if (comparison) io.stdout.write(formatComparison(comparison, chalk));
}
