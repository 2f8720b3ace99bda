/**
 * The CI checks of `load`: --max-loss, --max-errors, --max-skew-p99, --min-connected. Each one
 * that does not hold becomes a line naming the flag and what was measured; any such line means
 * exit 4. Pure.
 */

import { formatPreciseMs } from "../../terminal/units.js";
import type { LoadReport } from "./report.js";

/** --max-loss: a number of events, or a share of the deliveries expected. */
export type LossLimit = { count: number } | { percent: number };

export interface LoadAssertions {
  maxLoss?: LossLimit;
  maxErrors?: number;
  maxSkewP99Ms?: number;
  minConnected?: number;
}

const count = (value: number) => value.toLocaleString("en-US");

/** The flags that are set, as the user wrote them. */
function lossFlag(limit: LossLimit): string {
  return "count" in limit ? `--max-loss ${limit.count}` : `--max-loss ${limit.percent}%`;
}

/** One line per assertion that does not hold; empty when all hold. */
export function failedAssertions(report: LoadReport, assertions: LoadAssertions): string[] {
  const failures: string[] = [];
  const { maxLoss, maxErrors, maxSkewP99Ms, minConnected } = assertions;
  if (maxLoss !== undefined) {
    const expected = report.events - report.duplicates + report.missing;
    const share = expected > 0 ? (report.missing / expected) * 100 : 0;
    const exceeded = "count" in maxLoss ? report.missing > maxLoss.count : share > maxLoss.percent;
    if (exceeded) {
      const worst = report.worstClients[0];
      const where =
        worst !== undefined && worst.missing > 0
          ? `; worst client #${worst.client}${report.runs.length > 1 ? ` of ${worst.run}` : ""} missed ${count(worst.missing)}`
          : "";
      failures.push(
        `${lossFlag(maxLoss)}: ${count(report.missing)} events missing (${share.toPrecision(3)}% of ${count(expected)} expected deliveries)${where}`,
      );
    }
  }
  if (maxErrors !== undefined) {
    const failed = Object.values(report.connections.failed).reduce((sum, n) => sum + (n ?? 0), 0);
    if (failed > maxErrors) {
      const reasons = report.errors
        .map((error) => `${error.reason} ${count(error.count)}`)
        .join(", ");
      failures.push(
        `--max-errors ${maxErrors}: ${count(failed)} connection attempts failed (${reasons})`,
      );
    }
  }
  if (maxSkewP99Ms !== undefined) {
    const flag = `--max-skew-p99 ${formatPreciseMs(maxSkewP99Ms)}`;
    if (report.skew === null) {
      failures.push(
        `${flag}: no skew was measured (it needs events with ids received by at least two clients)`,
      );
    } else if (report.skew.p99 > maxSkewP99Ms) {
      failures.push(`${flag}: fan-out skew p99 was ${formatPreciseMs(report.skew.p99)}`);
    }
  }
  if (minConnected !== undefined && report.connected < minConnected) {
    failures.push(
      `--min-connected ${minConnected}: ${count(report.connected)} of ${count(report.clients)} clients were connected at the end`,
    );
  }
  return failures;
}
