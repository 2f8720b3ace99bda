/**
 * The checklist of `sse-tool doctor`: every check, in report order, run over what one watch of
 * an endpoint observed (src/doctor/observation.ts, filled by src/doctor/probe.ts). The checks
 * are pure functions in src/doctor/checks/, grouped by what they look at: the connection, the
 * response head, the hops' buffering (src/doctor/hops.ts), the stream's timing, resumption,
 * and framing.
 */
import { checkProxyBuffering } from "./checks/buffering.js";
import { checkConnect } from "./checks/connect.js";
import { checkEventSize, checkLineEndings } from "./checks/framing.js";
import { checkBursts } from "./checks/held-back.js";
import { checkIdleCut } from "./checks/idle-cut.js";
import {
  checkCacheControl,
  checkCompression,
  checkContentType,
  checkCors,
  checkHttpVersion,
  checkStatus,
} from "./checks/response.js";
import { type CheckId, type CheckResult, skip } from "./checks/result.js";
import { checkIds, checkResume, checkRetry } from "./checks/resume.js";
import { checkEvents, checkHeartbeat } from "./checks/timing.js";
import type { DoctorObservation } from "./observation.js";

/** Runs every check, in report order. */
export function runDoctorChecks(observation: DoctorObservation): CheckResult[] {
  const connect = checkConnect(observation);
  if (connect !== undefined) return [connect];
  const results = [checkStatus(observation)];
  if (results[0]!.status === "fail") {
    results.push(skip("content-type", `not checked: HTTP ${observation.status}`));
  } else {
    results.push(checkContentType(observation));
  }
  if (results.some((result) => result.status === "fail")) {
    // Not an event stream: the remaining checks would only describe an error page.
    const ids: CheckId[] = [
      "compression",
      "cache-control",
      "proxy-buffering",
      "cors",
      "events",
      "bursts",
      "heartbeat",
      "idle-cut",
      "ids",
      "resume",
      "retry",
      "line-endings",
      "event-size",
    ];
    for (const id of ids) {
      // A gateway's 502 or 504 after a wait is a timeout on the way: say whose.
      const gatewayTimeout =
        id === "idle-cut" && (observation.status === 502 || observation.status === 504);
      results.push(
        gatewayTimeout ? checkIdleCut(observation) : skip(id, "no event stream to check"),
      );
    }
  } else {
    results.push(
      checkCompression(observation),
      checkCacheControl(observation),
      checkProxyBuffering(observation),
      checkCors(observation),
      checkEvents(observation),
      checkBursts(observation),
      checkHeartbeat(observation),
      checkIdleCut(observation),
      checkIds(observation),
      checkResume(observation),
      checkRetry(observation),
      checkLineEndings(observation),
      checkEventSize(observation),
    );
  }
  results.push(checkHttpVersion(observation));
  return results;
}

/** Exit status of `doctor`: 1 when any check failed. */
export function doctorFailed(results: readonly CheckResult[]): boolean {
  return results.some((result) => result.status === "fail");
}
