/**
 * Doctor checks of the stream's timing: events at all, bursts after silence (a buffer being
 * flushed somewhere), and heartbeats against proxies' idle timeouts. Pure.
 */
import type { DoctorObservation } from "../observation.js";
import { type CheckResult, fail, pass, seconds, skip, warn } from "./result.js";

/** Proxies and load balancers commonly close a connection idle for 60 s (nginx
 * proxy_read_timeout, AWS ALB idle timeout; Heroku's router closes after 55 s). */
export const commonProxyIdleLimitMs = 55_000;
/** A heartbeat at most this far apart keeps a safe margin under those limits. */
export const heartbeatSafeIntervalMs = 30_000;
/** Events closer together than this arrived "at once" (one read from the socket). */
export const burstGapMs = 25;
/** A group of at least this many events at once ... */
export const burstMinEvents = 3;
/** ... after at least this much silence looks like a buffer being flushed. */
export const burstSilenceMs = 400;

export function checkEvents(o: DoctorObservation): CheckResult {
  const count = o.events.length;
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

/** Groups of events that arrived at once after a silence: the mark of a buffer being flushed. */
export function findBursts(
  eventTimesMs: readonly number[],
): Array<{ atMs: number; events: number; silenceMs: number }> {
  const bursts: Array<{ atMs: number; events: number; silenceMs: number }> = [];
  let groupStart = 0;
  for (let i = 1; i <= eventTimesMs.length; i++) {
    const current = eventTimesMs[i];
    const previous = eventTimesMs[i - 1]!;
    if (current !== undefined && current - previous < burstGapMs) continue;
    const size = i - groupStart;
    const startMs = eventTimesMs[groupStart]!;
    // The first group is measured from the response headers: a backlog sent at once on
    // connect (history replay) is not a burst after silence.
    const silenceMs = groupStart === 0 ? startMs : startMs - eventTimesMs[groupStart - 1]!;
    if (size >= burstMinEvents && silenceMs >= burstSilenceMs) {
      bursts.push({ atMs: startMs, events: size, silenceMs });
    }
    groupStart = i;
  }
  return bursts;
}

export function checkBursts(o: DoctorObservation): CheckResult {
  if (o.events.length < burstMinEvents) return skip("bursts", "too few events to judge");
  const bursts = findBursts(o.events.map((event) => event.atMs));
  if (bursts.length === 0) return pass("bursts", "events arrive one by one, not in bursts");
  const largest = bursts.reduce((a, b) => (b.events > a.events ? b : a));
  return warn(
    "bursts",
    `${bursts.length} burst${bursts.length === 1 ? "" : "s"} after silence (up to ` +
      `${largest.events} events at once after ${seconds(largest.silenceMs)}): ` +
      "something between server and client buffers",
    "flush after each event; turn off buffering in proxies (X-Accel-Buffering: no) and compression",
  );
}

export function checkHeartbeat(o: DoctorObservation): CheckResult {
  // The longest stretch without any byte is what an idle timeout measures.
  const arrivals = [0, ...o.chunkTimesMs].sort((a, b) => a - b);
  const endMs = o.endedAtMs ?? o.durationMs;
  let longestSilenceMs = 0;
  for (let i = 0; i < arrivals.length; i++) {
    const next = arrivals[i + 1] ?? endMs;
    longestSilenceMs = Math.max(longestSilenceMs, next - arrivals[i]!);
  }
  if (longestSilenceMs >= commonProxyIdleLimitMs) {
    return fail(
      "heartbeat",
      `the stream was silent for ${seconds(longestSilenceMs)}: proxies close idle connections ` +
        "after about 60 s",
      "send a comment line (`: ping`) every 15-30 s",
    );
  }
  const comments = o.commentTimesMs;
  if (comments.length === 0) {
    if (o.endedAtMs !== undefined) {
      return skip(
        "heartbeat",
        `the stream ended after ${seconds(o.endedAtMs)}; no heartbeat needed`,
      );
    }
    return warn(
      "heartbeat",
      `no heartbeat comment in ${seconds(o.durationMs)} (longest silence ` +
        `${seconds(longestSilenceMs)}); a stream that goes quiet is closed by proxies after ~60 s`,
      "send a comment line (`: ping`) every 15-30 s while no event is sent",
    );
  }
  let intervalMs = comments[0]!;
  for (let i = 1; i < comments.length; i++) {
    intervalMs = Math.max(intervalMs, comments[i]! - comments[i - 1]!);
  }
  if (intervalMs > heartbeatSafeIntervalMs) {
    return warn(
      "heartbeat",
      `heartbeats ${seconds(intervalMs)} apart: close to common proxy idle limits (60 s)`,
      "send a comment line every 15-30 s",
    );
  }
  return pass(
    "heartbeat",
    `${comments.length} heartbeat comment${comments.length === 1 ? "" : "s"}, at most ` +
      `${seconds(intervalMs)} apart`,
  );
}
