/**
 * Writes `load --report FILE`: the HTML page, loaded only when asked for (it carries the
 * chart library). Written before the assertions decide the exit code, so a failed CI run
 * still leaves its pictures.
 */
import { writeFile } from "node:fs/promises";
import { SseToolError } from "../errors.js";
import { escapeForTerminalLine } from "../terminal/escape.js";
import type { LoadAssertions } from "./report/assertions.js";
import type { LoadReport } from "./report/report.js";

export async function writeHtmlReport(
  path: string | undefined,
  report: LoadReport,
  assertions: LoadAssertions,
): Promise<void> {
  if (path === undefined) return;
  const { renderLoadReportHtml } = await import("./report/report-html.js");
  try {
    await writeFile(path, renderLoadReportHtml(report, assertions));
  } catch (error) {
    throw new SseToolError(
      "input",
      `cannot write ${escapeForTerminalLine(path)}: ${(error as Error).message}`,
    );
  }
}
