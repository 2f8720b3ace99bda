/**
 * Doctor's proxy-buffering check: the hops the response headers name, and whether any of them
 * holds the stream back, with each hop's own setting. Pure.
 */
import { type Hop, recogniseHops } from "../hops.js";
import type { DoctorObservation } from "../observation.js";
import { flowedFreely } from "./held-back.js";
import { type CheckResult, pass, skip, warn } from "./result.js";

function accelBufferingOff(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === "no";
}

export function checkProxyBuffering(o: DoctorObservation): CheckResult {
  const accel = o.headers["x-accel-buffering"];
  const accelOff = accelBufferingOff(accel);
  const found = recogniseHops(o.headers).map(({ hop }) => hop);
  const nginxLike = found.length === 0 || found.some((hop) => hop.honoursAccelBuffering);
  if (accel !== undefined && !accelOff && nginxLike) {
    return warn(
      "proxy-buffering",
      `X-Accel-Buffering: ${accel} asks nginx-based proxies to buffer this stream`,
      "send X-Accel-Buffering: no",
    );
  }
  const handled = (hop: Hop) => accelOff && hop.honoursAccelBuffering === true;
  const holding = found.filter((hop) => hop.buffering !== "streams" && !handled(hop));
  if (holding.length > 0 && flowedFreely(o)) {
    // The headers name a hop that buffers by default, but the timing shows it does not here.
    return pass(
      "proxy-buffering",
      `${holding.map((hop) => hop.name).join(", ")} on the way, but events arrive one by one: ` +
        "its buffering is off for this stream",
    );
  }
  if (holding.length > 0) {
    return warn(
      "proxy-buffering",
      holding.map((hop) => `${hop.name}: ${hop.bufferingNote}`).join("; "),
      holding.map((hop) => `${hop.name}: ${hop.bufferingSetting}`).join("; "),
    );
  }
  if (found.length === 0) {
    if (accelOff) return pass("proxy-buffering", "X-Accel-Buffering: no");
    // Reached directly, or through a hop that does not name itself: nothing to judge.
    return skip(
      "proxy-buffering",
      "no proxy or CDN recognised from the response headers",
      "behind a proxy, turn off its response buffering for the stream " +
        "(nginx: send X-Accel-Buffering: no)",
    );
  }
  const how = found.map((hop) => (handled(hop) ? `${hop.name} (X-Accel-Buffering: no)` : hop.name));
  return pass("proxy-buffering", `the recognised hops pass the stream through: ${how.join(", ")}`);
}
