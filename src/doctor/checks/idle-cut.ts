/**
 * Doctor's idle-cut check: when something closed the stream during the watch, after how much
 * silence, how (a response end, a cut without one, a reset, or a gateway's 504 before any
 * headers), and which known timeout matches: a recognised hop's own, or a common default.
 * Pure.
 */
import { type Hop, hops, recogniseHops } from "../hops.js";
import type { DoctorObservation } from "../observation.js";
import { type CheckResult, pass, seconds, skip, warn } from "./result.js";

/** Closed after less silence than this, the stream was ended, not cut for being idle. */
export const minIdleCutMs = 1000;
/** A timeout "matches" a cut within this share of its figure (timers, a busy machine). */
const matchShare = 0.1;
/** A body byte this soon before the close came with it (headers held until the cut). */
const withCloseMs = 100;

type TimedHop = Hop & { timeoutMs: number };

const timed = (hop: Hop): hop is TimedHop => hop.timeoutMs !== undefined;
const matches = (ms: number, hop: TimedHop) =>
  Math.abs(ms - hop.timeoutMs) <= hop.timeoutMs * matchShare;

/** How long the stream had been silent when it closed, and whether anything came first. */
export function silenceBeforeClose(o: DoctorObservation, endedAtMs: number): number {
  const headersAfterMs = o.headersAfterMs ?? 0;
  if (o.bodyBytes === 0) {
    // Headers that came only with the close were held: the silence began at the request.
    return endedAtMs <= withCloseMs ? headersAfterMs + endedAtMs : endedAtMs;
  }
  const sinceLastByte = endedAtMs - o.stream.lastByteAtMs;
  const firstByteAtMs = o.stream.firstByteAtMs ?? 0;
  // Everything came with the close (held until it): the silence began at the request.
  return firstByteAtMs >= endedAtMs - withCloseMs ? headersAfterMs + endedAtMs : sinceLastByte;
}

/** The known timeouts that match `ms`: the recognised hops' first, else any known default. */
function whoseTimeout(o: DoctorObservation, ms: number): string {
  const found = recogniseHops(o.headers).map(({ hop }) => hop);
  const own = found.filter(timed).filter((hop) => matches(ms, hop));
  if (own.length > 0) {
    return `matches ${own.map((hop) => `${hop.name}'s ${hop.timeout}`).join("; ")}`;
  }
  const onPath = found.filter((hop) => hop.timeoutSetting !== undefined);
  if (onPath.length > 0) {
    return `${onPath.map((hop) => `${hop.name} is on the way: its ${hop.timeout ?? hop.timeoutSetting}, set to about ${seconds(ms)} here?`).join("; ")}`;
  }
  const known = hops.filter(timed).filter((hop) => matches(ms, hop));
  if (known.length === 0) return `no known default matches: a timeout set to about ${seconds(ms)}`;
  const names = known.map((hop) => hop.name);
  const shown = names.length > 4 ? `${names.slice(0, 4).join(", ")}, ...` : names.join(", ");
  return `matches the ${seconds(known[0]!.timeoutMs)} default of ${shown} (no hop named itself)`;
}

/** The settings of the recognised hops that close a silent stream, or the usual ones. */
function timeoutSettings(o: DoctorObservation): string {
  const settings = recogniseHops(o.headers)
    .map(({ hop }) => hop)
    .filter((hop) => hop.timeoutSetting !== undefined)
    .map((hop) => `${hop.name}: ${hop.timeoutSetting}`);
  return settings.length > 0
    ? settings.join("; ")
    : "the idle timeout of the proxy or load balancer on the way";
}

function fixFor(o: DoctorObservation, silenceMs: number): string {
  const every = seconds(Math.max(500, Math.floor(silenceMs / 2)));
  return `send a comment line (\`: ping\`) at least every ${every} while no event is sent, or raise ${timeoutSettings(o)}`;
}

const howClosed = {
  end: "with a response end",
  cut: "without a response end (the connection closed mid-response)",
  reset: "with a reset (ECONNRESET)",
} as const;

export function checkIdleCut(o: DoctorObservation): CheckResult {
  if (o.status === 504 || o.status === 502) {
    const afterMs = o.headersAfterMs ?? 0;
    return warn(
      "idle-cut",
      `a ${o.status} after ${seconds(afterMs)} without the server's headers: ` +
        `a gateway gave up waiting; ${whoseTimeout(o, afterMs)}`,
      `send the headers at once (flush them before the first event), or raise ${timeoutSettings(o)}`,
    );
  }
  if (o.status === undefined) return skip("idle-cut", "no response");
  const endedAtMs = o.endedAtMs;
  if (endedAtMs === undefined) {
    return pass(
      "idle-cut",
      `stayed open for the whole watch (${seconds(o.durationMs)}; longest silence ` +
        `${seconds(o.stream.longestSilenceMs)})`,
    );
  }
  const how = o.endedHow ?? "end";
  // A whole response held back and let go at its end (a buffering hop) ended, it was not cut.
  if (
    how === "end" &&
    o.bodyBytes > 0 &&
    (o.stream.firstByteAtMs ?? 0) >= endedAtMs - withCloseMs
  ) {
    return pass("idle-cut", "the whole body came at once with the response end: not an idle cut");
  }
  const silenceMs = silenceBeforeClose(o, endedAtMs);
  if (silenceMs < minIdleCutMs) {
    if (how === "end") {
      return pass("idle-cut", "the stream ended right after its last data, not for being idle");
    }
    return warn(
      "idle-cut",
      `closed ${howClosed[how]} ${seconds(silenceMs)} after the last byte: not an idle timeout`,
      "look for a crash, or a limit on response size or time, on the server or a hop",
    );
  }
  return warn(
    "idle-cut",
    `closed after ${seconds(silenceMs)} of silence, ${howClosed[how]}: ${whoseTimeout(o, silenceMs)}`,
    fixFor(o, silenceMs),
  );
}
