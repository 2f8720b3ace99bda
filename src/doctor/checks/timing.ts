/**
 * Doctor checks of the stream's timing: events at all, and heartbeats against proxies' idle
 * timeouts (bursts are in held-back.ts, idle cuts in idle-cut.ts). Pure.
 */

import { type Hop, recogniseHops } from "../hops.js";
import type { DoctorObservation } from "../observation.js";
import { type CheckResult, fail, pass, seconds, skip, warn } from "./result.js";

/** Proxies and load balancers commonly close a connection idle for 60 s (nginx
 * proxy_read_timeout, AWS ALB idle timeout; Heroku's router closes after 55 s). */
export const commonProxyIdleLimitMs = 55_000;
/** A heartbeat at most this far apart keeps a safe margin under those limits. */
export const heartbeatSafeIntervalMs = 30_000;

/** A recognised hop whose limit on a whole response matches when the stream ended. */
function endedByHop(o: DoctorObservation): Hop | undefined {
  const endedAtMs = o.endedAtMs;
  if (endedAtMs === undefined) return undefined;
  return recogniseHops(o.headers)
    .map(({ hop }) => hop)
    .find(
      (hop) =>
        hop.timeoutCounts === "whole response" &&
        hop.timeoutMs !== undefined &&
        Math.abs(endedAtMs - hop.timeoutMs) <= hop.timeoutMs / 10,
    );
}

export function checkEvents(o: DoctorObservation): CheckResult {
  const count = o.stream.events;
  const hop = endedByHop(o);
  if (hop !== undefined && o.endedAtMs !== undefined) {
    return warn(
      "events",
      `${count} event${count === 1 ? "" : "s"}, then the stream ended after ` +
        `${seconds(o.endedAtMs)}: ${hop.name} ends a response at its ${hop.timeout}`,
      `${hop.name}: ${hop.timeoutSetting}`,
    );
  }
  if (count > 0) {
    return pass("events", `${count} event${count === 1 ? "" : "s"} in ${seconds(o.durationMs)}`);
  }
  if (o.endedAtMs !== undefined) {
    // Headers held until the close: the wait for them is part of the story.
    const held =
      (o.headersAfterMs ?? 0) >= 1000
        ? ` (its headers came after ${seconds(o.headersAfterMs!)})`
        : "";
    return warn(
      "events",
      `the stream ended after ${seconds(o.endedAtMs)}${held} without an event`,
      "send at least one event (a block ending with a blank line, with a data: field)",
    );
  }
  return warn(
    "events",
    `no event in ${seconds(o.durationMs)}`,
    "watch longer (--duration) or check that the server emits events",
  );
}

/** Servers send heartbeats only to idle clients: a stream quiet for less was not yet due one. */
function notYetDue(o: DoctorObservation, longestSilenceMs: number): CheckResult {
  const hop = strictestHop(o);
  const within =
    hop === undefined ? "" : `; behind ${hop.name}, one must come within ${seconds(hop.timeoutMs)}`;
  // "Busy" only when events kept coming: a stream quiet for most of the watch was not busy.
  const busy = o.stream.events >= 2 && longestSilenceMs * 2 < o.durationMs;
  if (busy) {
    return skip(
      "heartbeat",
      `could not be judged: events kept the stream busy (longest silence ` +
        `${seconds(longestSilenceMs)}) and servers send heartbeats only to idle clients`,
      `watch it while it is quiet, longer than its heartbeat interval (--duration 1m)${within}`,
    );
  }
  return skip(
    "heartbeat",
    `could not be judged: no heartbeat in ${seconds(longestSilenceMs)} of silence, shorter ` +
      "than a heartbeat interval (commonly 15-30 s)",
    `watch it longer than its heartbeat interval (--duration 1m)${within}`,
  );
}

/** The recognised hop that closes a silent stream soonest (`below`: only when sooner). */
function strictestHop(
  o: DoctorObservation,
  belowMs = commonProxyIdleLimitMs,
): (Hop & { timeoutMs: number }) | undefined {
  let strictest: (Hop & { timeoutMs: number }) | undefined;
  for (const { hop } of recogniseHops(o.headers)) {
    const ms = hop.timeoutMs;
    if (hop.timeoutCounts !== "silence" || ms === undefined || ms >= belowMs) continue;
    if (strictest === undefined || ms < strictest.timeoutMs) strictest = { ...hop, timeoutMs: ms };
  }
  return strictest;
}

export function checkHeartbeat(o: DoctorObservation): CheckResult {
  // The longest stretch without any byte is what an idle timeout measures.
  const longestSilenceMs = o.stream.longestSilenceMs;
  const hop = strictestHop(o);
  if (hop !== undefined && longestSilenceMs >= hop.timeoutMs) {
    return fail(
      "heartbeat",
      `the stream was silent for ${seconds(longestSilenceMs)}: ${hop.name} closes it after ` +
        `${seconds(hop.timeoutMs)} (${hop.timeout})`,
      `send a comment line (\`: ping\`) more often than every ${seconds(hop.timeoutMs)}, or ` +
        `raise ${hop.timeoutSetting}`,
    );
  }
  if (longestSilenceMs >= commonProxyIdleLimitMs) {
    return fail(
      "heartbeat",
      `the stream was silent for ${seconds(longestSilenceMs)}: at or past common proxies' idle ` +
        "limits (Heroku 55 s; nginx and AWS ALB 60 s)",
      "send a comment line (`: ping`) every 15-30 s",
    );
  }
  const comments = o.stream.comments;
  const pastSafe = longestSilenceMs > heartbeatSafeIntervalMs;
  if (comments === 0) {
    if (pastSafe) {
      return warn(
        "heartbeat",
        `no heartbeat in ${seconds(longestSilenceMs)} of silence: past the 30 s some proxies ` +
          "allow (CloudFront), close to the 60 s of most",
        "send a comment line (`: ping`) every 15-30 s while no event is sent",
      );
    }
    if (o.endedAtMs !== undefined) {
      return skip(
        "heartbeat",
        `the stream ended after ${seconds(o.endedAtMs)}; no heartbeat needed`,
      );
    }
    return notYetDue(o, longestSilenceMs);
  }
  const intervalMs = o.stream.longestCommentIntervalMs;
  const counted = `${comments} heartbeat comment${comments === 1 ? "" : "s"}`;
  // The first interval is counted from the headers: one comment has no "apart".
  const spacing =
    comments === 1
      ? `the only one ${seconds(intervalMs)} after the stream opened`
      : `at most ${seconds(intervalMs)} apart`;
  // Too close to the shortest idle timeout on the way: one late heartbeat and the hop cuts.
  const closest = strictestHop(o, Number.POSITIVE_INFINITY);
  if (comments >= 2 && closest !== undefined && intervalMs > closest.timeoutMs / 2) {
    return warn(
      "heartbeat",
      `${counted}, ${spacing}: too close to ${closest.name}'s idle timeout ` +
        `(${closest.timeout})`,
      `send a comment line at least every ${seconds(closest.timeoutMs / 2)}, or raise ` +
        `${closest.name}: ${closest.timeoutSetting}`,
    );
  }
  if (intervalMs > heartbeatSafeIntervalMs) {
    return warn(
      "heartbeat",
      `${counted}, ${spacing}: past the 30 s some proxies allow (CloudFront), close to the ` +
        "60 s of most",
      "send a comment line every 15-30 s",
    );
  }
  if (pastSafe) {
    return warn(
      "heartbeat",
      `${counted}, ${spacing}, but then silent for ${seconds(longestSilenceMs)}: the ` +
        "heartbeat stopped",
      "send a comment line every 15-30 s for as long as the stream is open",
    );
  }
  const silence =
    longestSilenceMs > intervalMs ? ` (longest silence ${seconds(longestSilenceMs)})` : "";
  return pass("heartbeat", `${counted}, ${spacing}${silence}`);
}
