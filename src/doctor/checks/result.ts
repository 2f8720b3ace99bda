/**
 * What a doctor check says: pass / warn / fail (or skip when it does not apply), why in one
 * line, and how to fix it. Pure.
 */

export type CheckStatus = "pass" | "warn" | "fail" | "skip";

export type CheckId =
  | "connect"
  | "status"
  | "content-type"
  | "compression"
  | "cache-control"
  | "proxy-buffering"
  | "cors"
  | "events"
  | "bursts"
  | "heartbeat"
  | "idle-cut"
  | "ids"
  | "resume"
  | "retry"
  | "line-endings"
  | "event-size"
  | "http-version";

export interface CheckResult {
  id: CheckId;
  status: CheckStatus;
  /** One line: what was seen. */
  reason: string;
  /** One line: how to fix it (warn and fail; advice on some skips). */
  fix?: string;
}

export const pass = (id: CheckId, reason: string): CheckResult => ({ id, status: "pass", reason });
/** `advice`: what to do when the check could not judge (shown as its fix). */
export const skip = (id: CheckId, reason: string, advice?: string): CheckResult =>
  advice === undefined
    ? { id, status: "skip", reason }
    : { id, status: "skip", reason, fix: advice };
export const warn = (id: CheckId, reason: string, fix: string): CheckResult => ({
  id,
  status: "warn",
  reason,
  fix,
});
export const fail = (id: CheckId, reason: string, fix: string): CheckResult => ({
  id,
  status: "fail",
  reason,
  fix,
});

/** A duration in a check's reason: `250 ms`, `1.5 s`. */
export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
