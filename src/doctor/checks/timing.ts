/**
 * Doctor checks of the stream's timing: events at all, bursts after silence (a buffer being
 * flushed somewhere), and heartbeats against proxies' idle timeouts. Pure.
 */
import type { DoctorObservation } from "../observation.js";
import { burstMinEvents } from "../stream-tally.js";
import { type CheckResult, fail, pass, seconds, skip, warn } from "./result.js";

/** Proxies and load balancers commonly close a connection idle for 60 s (nginx
 * proxy_read_timeout, AWS ALB idle timeout; Heroku's router closes after 55 s). */
export const commonProxyIdleLimitMs = 55_000;
/** A heartbeat at most this far apart keeps a safe margin under those limits. */
export const heartbeatSafeIntervalMs = 30_000;
export function checkEvents(o: DoctorObservation): CheckResult {
  const count = o.stream.events;
  if (count > 0) {
    return pass("events", `${count} event${count === 1 ? "" : "s"} in ${seconds(o.durationMs)}`);
  }
  if (o.endedAtMs !== undefined) {
    return warn(
      "events",
      `the stream ended after ${seconds(o.endedAtMs)} without an event`,
      "send at least one event (a block ending with a blank line, with a data: field)",
    );
  }
  return warn(
    "events",
    `no event in ${seconds(o.durationMs)}`,
    "watch longer (--duration) or check that the server emits events",
  );
}

export function checkBursts(o: DoctorObservation): CheckResult {
  if (o.stream.events < burstMinEvents) return skip("bursts", "too few events to judge");
  const { bursts, largestBurst } = o.stream;
  if (bursts === 0 || !largestBurst) {
    return pass("bursts", "events arrive one by one, not in bursts");
  }
  return warn(
    "bursts",
    `${bursts} burst${bursts === 1 ? "" : "s"} after silence (up to ` +
      `${largestBurst.events} events at once after ${seconds(largestBurst.silenceMs)}): ` +
      "something between server and client buffers",
    "flush after each event; turn off buffering in proxies (X-Accel-Buffering: no) and compression",
  );
}

export function checkHeartbeat(o: DoctorObservation): CheckResult {
  // The longest stretch without any byte is what an idle timeout measures.
  const longestSilenceMs = o.stream.longestSilenceMs;
  if (longestSilenceMs >= commonProxyIdleLimitMs) {
    return fail(
      "heartbeat",
      `the stream was silent for ${seconds(longestSilenceMs)}: proxies close idle connections ` +
        "after about 60 s",
      "send a comment line (`: ping`) every 15-30 s",
    );
  }
  const comments = o.stream.comments;
  if (comments === 0) {
    if (o.endedAtMs !== undefined) {
      return skip(
        "heartbeat",
        `the stream ended after ${seconds(o.endedAtMs)}; no heartbeat needed`,
      );
    }
    // Servers send heartbeats only to idle clients: events coming more often than a heartbeat
    // would leave nothing to judge (the warning here once sent people after a problem not there).
    if (o.stream.events > 0 && longestSilenceMs < heartbeatSafeIntervalMs) {
      return skip(
        "heartbeat",
        `could not be judged: events kept the stream busy (longest silence ` +
          `${seconds(longestSilenceMs)}) and servers send heartbeats only to idle clients; ` +
          "watch it while it is quiet, longer than its heartbeat interval (--duration 1m)",
      );
    }
    return warn(
      "heartbeat",
      `no heartbeat comment in ${seconds(o.durationMs)} (longest silence ` +
        `${seconds(longestSilenceMs)}); a stream that goes quiet is closed by proxies after ~60 s`,
      "send a comment line (`: ping`) every 15-30 s while no event is sent",
    );
  }
  const intervalMs = o.stream.longestCommentIntervalMs;
  if (intervalMs > heartbeatSafeIntervalMs) {
    return warn(
      "heartbeat",
      `heartbeats ${seconds(intervalMs)} apart: close to common proxy idle limits (60 s)`,
      "send a comment line every 15-30 s",
    );
  }
  return pass(
    "heartbeat",
    `${comments} heartbeat comment${comments === 1 ? "" : "s"}, at most ` +
      `${seconds(intervalMs)} apart`,
  );
}
