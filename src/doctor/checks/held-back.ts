/**
 * Doctor's bursts check: a stream held back on its way shows itself by its timing, headers or
 * the first event late while later events come in bursts, or (an LLM stream) a long time to the
 * first token and then tokens with no gap between them. Names the hop most likely holding it,
 * from the response headers, and that hop's fix; a hop that does not name itself is still
 * found by the timing. Pure.
 */
import { hopCompression } from "../hop-compression.js";
import { type Hop, recogniseHops } from "../hops.js";
import type { DoctorObservation } from "../observation.js";
import { burstMinEvents } from "../stream-tally.js";
import { type CheckResult, pass, seconds, skip, warn } from "./result.js";

/** Headers or a first event later than this, from the request, were held back (or slow). */
export const heldMs = 1000;
/** A body byte this soon after the headers came with them. */
const withHeadersMs = 50;
/** Events after the first, at least this many and this share in one read: gaps collapsed. */
const collapseMinEvents = 5;
const collapseShare = 0.8;

/** Whether a hop's setting already lets the stream through (X-Accel-Buffering: no). */
function accelHandled(o: DoctorObservation, hop: Hop): boolean {
  return hop.honoursAccelBuffering === true && o.headers["x-accel-buffering"]?.trim() === "no";
}

/**
 * The recognised hop that most likely holds the stream back: a compressor that does not flush
 * per event when the stream is compressed, else one that buffers by default, else one that may.
 */
export function likelyHolder(
  o: DoctorObservation,
): { hop: Hop; why: string; fix: string } | undefined {
  const found = recogniseHops(o.headers).map(({ hop }) => hop);
  const coding = o.headers["content-encoding"]?.toLowerCase();
  if (coding !== undefined && coding !== "identity") {
    for (const hop of found) {
      const compression = hopCompression[hop.name];
      if (compression && !compression.flushesPerEvent) {
        return { hop, why: compression.note, fix: compression.setting };
      }
    }
  }
  for (const kind of ["buffers", "may-buffer"] as const) {
    const hop = found.find((h) => h.buffering === kind && !accelHandled(o, h));
    if (hop?.bufferingSetting !== undefined) {
      return { hop, why: hop.bufferingNote, fix: hop.bufferingSetting };
    }
  }
  return undefined;
}

/** What was held: the headers (until the first event) or the first event, from the request. */
function heldSign(o: DoctorObservation): string | undefined {
  const headersAfterMs = o.headersAfterMs ?? 0;
  const { firstByteAtMs, firstEventAtMs } = o.stream;
  if (headersAfterMs >= heldMs && firstByteAtMs !== undefined && firstByteAtMs <= withHeadersMs) {
    const h2 = o.httpVersion?.startsWith("2")
      ? " (over HTTP/2, some servers and proxies send HEADERS only with the first DATA)"
      : "";
    return `headers held ${seconds(headersAfterMs)} until the first event${h2}`;
  }
  if (firstEventAtMs !== undefined && headersAfterMs + firstEventAtMs >= heldMs) {
    return `first event after ${seconds(headersAfterMs + firstEventAtMs)}`;
  }
  return undefined;
}

/**
 * How later events came: in bursts after silence, or (after a held start only: a backlog or a
 * fast sender looks the same) all in one read, gaps collapsed.
 */
function batchSign(o: DoctorObservation, held: boolean): string | undefined {
  const { bursts, largestBurst, eventGaps, eventGapsAtOnce } = o.stream;
  // After a late start, gaps that collapsed say more than the one burst they also make.
  if (
    bursts <= 1 &&
    held &&
    eventGaps + 1 >= collapseMinEvents &&
    eventGapsAtOnce >= eventGaps * collapseShare
  ) {
    return `then ${eventGapsAtOnce} of ${eventGaps} gaps between events collapsed to nothing`;
  }
  // One burst alone, with no late start, is what a client starved for a moment also sees.
  if (largestBurst && (bursts >= 2 || (bursts === 1 && held))) {
    return (
      `${bursts} burst${bursts === 1 ? "" : "s"} after silence (up to ${largestBurst.events} ` +
      `events at once after ${seconds(largestBurst.silenceMs)})`
    );
  }
  return undefined;
}

const hiddenHopFix =
  "find the hop that holds it (no header names it): nginx: proxy_buffering off or " +
  "X-Accel-Buffering: no; Apache httpd: flushpackets=on; lighttpd: " +
  "server.stream-response-body = 2; and no compression for text/event-stream";

/** Events came one by one, enough of them to say so: nothing held this stream back. */
export function flowedFreely(o: DoctorObservation): boolean {
  return (
    o.stream.events >= collapseMinEvents && batchSign(o, heldSign(o) !== undefined) === undefined
  );
}

export function checkBursts(o: DoctorObservation): CheckResult {
  const held = heldSign(o);
  const batch = batchSign(o, held !== undefined);
  if (batch === undefined) {
    if (o.stream.events < burstMinEvents) return skip("bursts", "too few events to judge");
    const late = held === undefined ? "" : ` (${held})`;
    const lone = o.stream.largestBurst;
    const once = lone
      ? ` (once ${lone.events} at once after ${seconds(lone.silenceMs)}: too little to call it held back)`
      : "";
    return pass("bursts", `events arrive one by one, not in bursts${late}${once}`);
  }
  const seen = held === undefined ? batch : `${held}, ${batch}`;
  const holder = likelyHolder(o);
  if (holder !== undefined) {
    return warn(
      "bursts",
      `${seen}: ${holder.hop.name} most likely holds the stream back: ${holder.why}`,
      `${holder.hop.name}: ${holder.fix}`,
    );
  }
  const { chunks, pageSizedChunks } = o.stream;
  if (pageSizedChunks >= 2 && pageSizedChunks * 2 >= chunks) {
    // Nobody named: the size of what comes out still points at nginx (or a hop built on it).
    return warn(
      "bursts",
      `${seen}, in blocks of 4 or 8 KiB: a hop that names itself in no header holds the stream ` +
        "back, most likely nginx (its proxy buffers are a memory page)",
      "flush after each event; nginx: proxy_buffering off or X-Accel-Buffering: no on the " +
        "response (the hop is hidden: check the proxies on the way)",
    );
  }
  return warn(
    "bursts",
    `${seen}: something between server and client holds the stream back`,
    `flush after each event; ${hiddenHopFix}`,
  );
}
