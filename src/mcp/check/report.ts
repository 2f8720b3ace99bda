/**
 * `mcp --check` results and their report, as doctor lays its checklist out: PASS, WARN, FAIL
 * or SKIP, why in one line, and the fix. Pure.
 */
import type { ChalkInstance } from "chalk";
import { escapeForTerminalLine } from "../../terminal/escape.js";

export type McpCheckStatus = "pass" | "warn" | "fail" | "skip";

export interface McpCheckResult {
  id: string;
  status: McpCheckStatus;
  reason: string;
  fix?: string;
}

export const passed = (id: string, reason: string): McpCheckResult => ({
  id,
  status: "pass",
  reason,
});
export const skipped = (id: string, reason: string): McpCheckResult => ({
  id,
  status: "skip",
  reason,
});
export const warned = (id: string, reason: string, fix: string): McpCheckResult => ({
  id,
  status: "warn",
  reason,
  fix,
});
export const failed = (id: string, reason: string, fix: string): McpCheckResult => ({
  id,
  status: "fail",
  reason,
  fix,
});

const labels: Record<McpCheckStatus, string> = {
  pass: "PASS",
  warn: "WARN",
  fail: "FAIL",
  skip: "SKIP",
};

export function formatCheckReport(
  url: string,
  checks: readonly McpCheckResult[],
  chalk: ChalkInstance,
): string {
  const paint: Record<McpCheckStatus, (text: string) => string> = {
    pass: chalk.green,
    warn: chalk.yellow,
    fail: chalk.red.bold,
    skip: chalk.dim,
  };
  let width = 0;
  for (const check of checks) width = Math.max(width, check.id.length);
  const lines = [`${chalk.bold("sse-tool mcp --check")} ${escapeForTerminalLine(url)}`, ""];
  const counts = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const check of checks) {
    counts[check.status]++;
    lines.push(
      `  ${paint[check.status](labels[check.status])}  ${check.id.padEnd(width)}  ${escapeForTerminalLine(check.reason)}`,
    );
    if (check.fix !== undefined && check.status !== "pass") {
      lines.push(
        `  ${" ".repeat(4)}  ${" ".repeat(width)}  ${chalk.dim(`fix: ${escapeForTerminalLine(check.fix)}`)}`,
      );
    }
  }
  lines.push(
    "",
    `${counts.pass} passed, ${counts.warn} warning${counts.warn === 1 ? "" : "s"}, ${counts.fail} failed` +
      (counts.skip > 0 ? `, ${counts.skip} skipped` : ""),
  );
  return `${lines.join("\n")}\n`;
}
