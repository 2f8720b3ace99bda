/**
 * Running doctor against a real proxy, for the system tests: its JSON report, a check by id,
 * and the idle-cut round (watch a quiet stream until the proxy cuts it, then apply the
 * heartbeat doctor asks for and watch again).
 */
import { expect } from "vitest";
import type { CheckResult } from "../../../src/doctor/checks/result.js";
import type { WatchComparison } from "../../../src/doctor/compare.js";
import { runCli } from "../../helpers/cli-process.js";

export interface Report {
  checks: CheckResult[];
  hops: Array<{ name: string; evidence: string }>;
  compare?: WatchComparison;
}

export async function doctor(url: string, seconds: number, ...more: string[]): Promise<Report> {
  const result = await runCli(["doctor", "--json", "--duration", String(seconds), ...more, url], {
    killAfterMs: (seconds * 2 + 30) * 1000,
  });
  expect(result.stdout, result.stderr).not.toBe("");
  return JSON.parse(result.stdout) as Report;
}

export function checkOf(report: Report, id: string): CheckResult {
  const check = report.checks.find((c) => c.id === id);
  expect(check, `no ${id} check in ${JSON.stringify(report.checks)}`).toBeDefined();
  return check!;
}

/**
 * The proxy at `url` closes `/quiet` after `timeoutS` of silence: doctor measures it (within a
 * second or two: some proxies check their timers once a second) and names `setting`; a
 * heartbeat as often as its fix says keeps the stream open for two timeouts' worth.
 */
export async function idleCutRound(
  url: string,
  timeoutS: number,
  expected: { reason: RegExp; setting: string },
  ...more: string[]
): Promise<void> {
  const cut = await doctor(`${url}/quiet`, timeoutS * 3, ...more);
  const idleCut = checkOf(cut, "idle-cut");
  expect(idleCut.status, idleCut.reason).toBe("warn");
  const measured = /^closed after (\d+\.\d) s of silence/.exec(idleCut.reason)?.[1];
  expect(Number(measured), idleCut.reason).toBeGreaterThanOrEqual(timeoutS - 0.5);
  expect(Number(measured), idleCut.reason).toBeLessThanOrEqual(timeoutS + 2.5);
  expect(idleCut.reason).toMatch(expected.reason);
  expect(idleCut.fix).toContain(expected.setting);
  const every = Number(/at least every (\d+\.\d) s/.exec(idleCut.fix ?? "")?.[1]);
  expect(every).toBeGreaterThanOrEqual(1);

  const open = await doctor(`${url}/quiet?ping=${every * 1000}`, timeoutS * 2.5, ...more);
  expect(checkOf(open, "idle-cut").status, checkOf(open, "idle-cut").reason).toBe("pass");
  expect(checkOf(open, "heartbeat").status).toBe("pass");
}
