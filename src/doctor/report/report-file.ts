/** Writes `doctor --report FILE`, loading the page (and its chart library) only when asked. */
import { writeFile } from "node:fs/promises";
import { SseToolError } from "../../errors.js";
import { escapeForTerminalLine } from "../../terminal/escape.js";
import type { DoctorReport } from "../report.js";
import type { WatchTimeline } from "./watch-timeline.js";

export async function writeDoctorHtml(
  path: string,
  report: DoctorReport,
  timeline: WatchTimeline,
): Promise<void> {
  const { renderDoctorReportHtml } = await import("./report-html.js");
  try {
    await writeFile(path, renderDoctorReportHtml(report, timeline));
  } catch (error) {
    throw new SseToolError(
      "input",
      `cannot write ${escapeForTerminalLine(path)}: ${(error as Error).message}`,
    );
  }
}
