/**
 * The checks `doctor` runs on a recording: the live checklist over what the recording holds,
 * with the checks that need a live server skipped, each saying why. Pure.
 */
import { runDoctorChecks } from "../checklist.js";
import { type CheckId, type CheckResult, skip } from "../checks/result.js";
import type { DoctorObservation } from "../observation.js";

/** Checks a recording cannot answer, and why. */
const needsLiveServer: ReadonlyMap<CheckId, string> = new Map([
  ["cors", "needs a live server: a preflight request from --origin"],
  ["resume", "needs a live server: a reconnect with Last-Event-ID"],
  ["http-version", "needs a live server: a recording does not hold the HTTP version"],
]);

export function runRecordingChecks(observation: DoctorObservation): CheckResult[] {
  return runDoctorChecks(observation).map((result) => {
    const why = needsLiveServer.get(result.id);
    return why === undefined ? result : skip(result.id, why);
  });
}
