/**
 * The checks of `sse-tool doctor`: pure functions over what one watch of an endpoint observed.
 * Each check says pass / warn / fail (or skip when it does not apply), why in one line, and how
 * to fix it. The I/O that fills a `DoctorObservation` lives in src/doctor/probe.ts.
 */
import { formatBytes } from "../terminal/units.js";
import type { LineEndingCounts } from "./line-ending-scan.js";

/** One dispatched event as doctor saw it. Times are ms since the response headers arrived. */
export interface ObservedEvent {
  atMs: number;
  type: string;
  /** The last event ID in effect (event.lastEventId). */
  lastEventId: string;
  /** UTF-8 size of the data. */
  dataBytes: number;
}

/** The live resume test: reconnect with Last-Event-ID = the last id seen. */
export type ResumeObservation =
  | { ran: false; reason: string }
  | {
      ran: true;
      lastEventIdSent: string;
      /** Undefined when the reconnect failed before a response. */
      status?: number;
      error?: string;
      /** Events of the resumed connection; its decoder started with an empty last event ID. */
      events: ObservedEvent[];
      /** How long the resumed connection was watched. */
      watchedMs: number;
    };

export interface DoctorObservation {
  url: string;
  /** `--origin`: the page origin to check CORS for. */
  origin?: string;
  /** How long the stream was watched (`--duration`). */
  durationMs: number;
  /** The request failed before any response (DNS, refused, TLS, timeout). */
  connectError?: string;
  status?: number;
  /** The start of a body that is not an event stream (an error page), whitespace collapsed. */
  bodyStart?: string;
  /** Response headers, names lower-case, repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The HTTP version of the response ("1.1"). */
  httpVersion?: string;
  /** For https: the protocol the server chose when offered h2 and http/1.1 (ALPN). */
  alpnProtocol?: string;
  /** Arrival times of body chunks (after decompression), ms since the headers. */
  chunkTimesMs: number[];
  events: ObservedEvent[];
  /** Arrival times of comment lines (heartbeats). */
  commentTimesMs: number[];
  /** The last valid `retry:` value seen. */
  retryMs?: number;
  lineEndings: LineEndingCounts;
  bodyBytes: number;
  /** When the server closed the stream within the watch, ms since the headers. */
  endedAtMs?: number;
  resume: ResumeObservation;
}

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
  /** One line: how to fix it (warn and fail only). */
  fix?: string;
}

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
/** Lines longer than this break clients with a default line limit (Go's bufio.Scanner). */
export const longLineLimitBytes = 64 * 1024;

const pass = (id: CheckId, reason: string): CheckResult => ({ id, status: "pass", reason });
const skip = (id: CheckId, reason: string): CheckResult => ({ id, status: "skip", reason });
const warn = (id: CheckId, reason: string, fix: string): CheckResult => ({
  id,
  status: "warn",
  reason,
  fix,
});
const fail = (id: CheckId, reason: string, fix: string): CheckResult => ({
  id,
  status: "fail",
  reason,
  fix,
});

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Runs every check, in report order. */
export function runDoctorChecks(observation: DoctorObservation): CheckResult[] {
  if (observation.connectError !== undefined) {
    return [
      fail(
        "connect",
        `could not connect: ${observation.connectError}`,
        "check the URL, that the server runs, and --proxy / --insecure",
      ),
    ];
  }
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
      "ids",
      "resume",
      "retry",
      "line-endings",
      "event-size",
    ];
    for (const id of ids) results.push(skip(id, "no event stream to check"));
  } else {
    results.push(
      checkCompression(observation),
      checkCacheControl(observation),
      checkProxyBuffering(observation),
      checkCors(observation),
      checkEvents(observation),
      checkBursts(observation),
      checkHeartbeat(observation),
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

export function checkStatus(o: DoctorObservation): CheckResult {
  if (o.status === 200) return pass("status", "200 OK");
  if (o.status === 204) {
    return fail(
      "status",
      "204 No Content: clients stop and never reconnect",
      "answer 200 with an event stream (204 is only for telling clients to stop)",
    );
  }
  const body = o.bodyStart ? `: ${o.bodyStart.slice(0, 120)}` : "";
  return fail(
    "status",
    `HTTP ${o.status}: EventSource fails the connection and does not reconnect${body}`,
    "answer 200 with Content-Type: text/event-stream",
  );
}

export function checkContentType(o: DoctorObservation): CheckResult {
  const value = o.headers["content-type"];
  if (value === undefined) {
    return fail(
      "content-type",
      "no Content-Type: EventSource fails the connection",
      "send Content-Type: text/event-stream; charset=utf-8",
    );
  }
  const [mime = "", ...parameters] = value.split(";").map((part) => part.trim());
  if (mime.toLowerCase() !== "text/event-stream") {
    return fail(
      "content-type",
      `Content-Type is ${value}, not text/event-stream: EventSource fails the connection`,
      "send Content-Type: text/event-stream; charset=utf-8",
    );
  }
  const charset = parameters
    .map((parameter) => /^charset\s*=\s*"?([^";]*)"?$/i.exec(parameter)?.[1])
    .find((match) => match !== undefined);
  if (
    charset !== undefined &&
    charset.toLowerCase() !== "utf-8" &&
    charset.toLowerCase() !== "utf8"
  ) {
    return warn(
      "content-type",
      `charset=${charset}: clients decode event streams as UTF-8 whatever it says`,
      "encode the stream as UTF-8 and say charset=utf-8",
    );
  }
  return pass("content-type", value);
}

export function checkCompression(o: DoctorObservation): CheckResult {
  const coding = o.headers["content-encoding"];
  if (coding === undefined || coding.toLowerCase() === "identity") {
    return pass("compression", "not compressed");
  }
  return warn(
    "compression",
    `the stream is compressed (${coding}): compressors hold events back until a block fills`,
    "exclude text/event-stream from compression, or flush the compressor after each event",
  );
}

export function checkCacheControl(o: DoctorObservation): CheckResult {
  const value = o.headers["cache-control"] ?? "";
  const directives = value
    .toLowerCase()
    .split(",")
    .map((directive) => directive.trim());
  const noCache = directives.includes("no-cache") || directives.includes("no-store");
  const noTransform = directives.includes("no-transform");
  if (noCache && noTransform) return pass("cache-control", value);
  const missing = [noCache ? "" : "no-cache", noTransform ? "" : "no-transform"].filter(Boolean);
  return warn(
    "cache-control",
    value === ""
      ? "no Cache-Control: caches and proxies may store or rewrite the stream"
      : `Cache-Control: ${value} lacks ${missing.join(" and ")}`,
    "send Cache-Control: no-cache, no-transform",
  );
}

export function checkProxyBuffering(o: DoctorObservation): CheckResult {
  const value = o.headers["x-accel-buffering"];
  if (value?.trim().toLowerCase() === "no") return pass("proxy-buffering", "X-Accel-Buffering: no");
  return warn(
    "proxy-buffering",
    value === undefined
      ? "no X-Accel-Buffering: no; nginx buffers proxied responses by default"
      : `X-Accel-Buffering: ${value}; nginx will buffer this stream`,
    "send X-Accel-Buffering: no (or proxy_buffering off in nginx)",
  );
}

export function checkCors(o: DoctorObservation): CheckResult {
  if (o.origin === undefined) return skip("cors", "no --origin given");
  const allowed = o.headers["access-control-allow-origin"];
  if (allowed === "*" || allowed === o.origin) {
    return pass("cors", `Access-Control-Allow-Origin: ${allowed}`);
  }
  return fail(
    "cors",
    allowed === undefined
      ? `no Access-Control-Allow-Origin: a page on ${o.origin} cannot read this stream`
      : `Access-Control-Allow-Origin: ${allowed} does not allow ${o.origin}`,
    `send Access-Control-Allow-Origin: ${o.origin} (or *) on the stream response`,
  );
}

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

/** Events that set an id: their last event ID differs from the event before them. */
export function eventsWithNewIds(events: readonly ObservedEvent[]): ObservedEvent[] {
  let previous = "";
  return events.filter((event) => {
    const changed = event.lastEventId !== "" && event.lastEventId !== previous;
    previous = event.lastEventId;
    return changed;
  });
}

export function checkIds(o: DoctorObservation): CheckResult {
  if (o.events.length === 0) return skip("ids", "no events");
  const withIds = eventsWithNewIds(o.events).length;
  if (withIds === 0) {
    return warn(
      "ids",
      "no event has an id: a reconnecting client cannot say where it left off",
      "send id: <n> with each event and honour Last-Event-ID on reconnect",
    );
  }
  if (withIds < o.events.length) {
    return warn(
      "ids",
      `only ${withIds} of ${o.events.length} events set a new id`,
      "send a new id: with every event, so a client can resume after any of them",
    );
  }
  return pass("ids", `every event has an id (last: ${o.events.at(-1)?.lastEventId})`);
}

const integer = /^(0|[1-9][0-9]{0,14})$/;

export function checkResume(o: DoctorObservation): CheckResult {
  const resume = o.resume;
  if (!resume.ran) return skip("resume", resume.reason);
  const sent = resume.lastEventIdSent;
  if (resume.status === undefined) {
    return fail(
      "resume",
      `reconnecting with Last-Event-ID: ${sent} failed: ${resume.error ?? "no response"}`,
      "accept reconnects that carry a Last-Event-ID header",
    );
  }
  if (resume.status === 204) {
    return pass("resume", `reconnect with Last-Event-ID: ${sent} answered 204 (stream finished)`);
  }
  if (resume.status !== 200) {
    return fail(
      "resume",
      `reconnecting with Last-Event-ID: ${sent} got HTTP ${resume.status}`,
      "answer reconnects with Last-Event-ID like the first request",
    );
  }
  const firstIds = new Set(eventsWithNewIds(o.events).map((event) => event.lastEventId));
  const resumed = eventsWithNewIds(resume.events);
  const repeated = resumed.filter((event) => firstIds.has(event.lastEventId));
  if (repeated.length > 0) {
    const shown = repeated
      .slice(0, 5)
      .map((event) => event.lastEventId)
      .join(", ");
    return fail(
      "resume",
      `after Last-Event-ID: ${sent} the server repeated id ${shown}` +
        (repeated.length > 5 ? ` and ${repeated.length - 5} more` : ""),
      "on reconnect send only the events after the Last-Event-ID header's id",
    );
  }
  const first = resumed[0];
  if (first === undefined) {
    if (o.endedAtMs !== undefined) {
      return pass("resume", `nothing repeated after Last-Event-ID: ${sent} (stream had ended)`);
    }
    return warn(
      "resume",
      `no event with an id within ${seconds(resume.watchedMs)} of reconnecting with ` +
        `Last-Event-ID: ${sent}; could not check`,
      "watch longer (--duration), or make the server emit events with ids more often",
    );
  }
  // With consecutive integer ids, a jump shows that events sent meanwhile were lost.
  const ids = [...firstIds];
  const consecutive =
    ids.length >= 2 &&
    ids.every(integer.test.bind(integer)) &&
    ids.every((id, i) => i === 0 || Number(id) === Number(ids[i - 1]) + 1);
  if (consecutive && integer.test(sent) && integer.test(first.lastEventId)) {
    const expected = Number(sent) + 1;
    if (Number(first.lastEventId) > expected) {
      return warn(
        "resume",
        `resumed at id ${first.lastEventId} after Last-Event-ID: ${sent}: ids ${expected}..` +
          `${Number(first.lastEventId) - 1} were lost`,
        "keep recent events and replay those after Last-Event-ID on reconnect",
      );
    }
  }
  return pass(
    "resume",
    `resumed after Last-Event-ID: ${sent} with id ${first.lastEventId}, no repeats`,
  );
}

export function checkRetry(o: DoctorObservation): CheckResult {
  if (o.retryMs === undefined) {
    return warn(
      "retry",
      "no retry: field; clients reconnect after their own default (about 3 s in browsers)",
      "send retry: <ms> at the start of the stream to choose the reconnect delay",
    );
  }
  if (o.retryMs < 500) {
    return warn(
      "retry",
      `retry: ${o.retryMs} ms; every client reconnects almost at once after an outage`,
      "use a retry of a second or more so reconnects do not stampede",
    );
  }
  return pass("retry", `retry: ${o.retryMs} ms`);
}

export function checkLineEndings(o: DoctorObservation): CheckResult {
  const { lf, crlf, cr } = o.lineEndings;
  const kinds = [
    ["LF", lf],
    ["CRLF", crlf],
    ["CR", cr],
  ] as const;
  const used = kinds.filter(([, count]) => count > 0);
  if (used.length === 0) return skip("line-endings", "no complete line");
  const text = used.map(([name, count]) => `${name} ${count}`).join(", ");
  if (used.length > 1) {
    return warn(
      "line-endings",
      `mixed line endings (${text}): valid, but hand-written parsers often split on one kind`,
      "end every line with LF",
    );
  }
  if (cr > 0) {
    return warn(
      "line-endings",
      `lone CR line endings (${text}): valid, but many non-browser clients only split on LF`,
      "end every line with LF",
    );
  }
  return pass("line-endings", `all ${used[0]![0]} (${used[0]![1]} lines)`);
}

export function checkEventSize(o: DoctorObservation): CheckResult {
  if (o.events.length === 0 && o.lineEndings.longestLineBytes === 0) {
    return skip("event-size", "no events");
  }
  const largest = Math.max(0, ...o.events.map((event) => event.dataBytes));
  const longestLine = o.lineEndings.longestLineBytes;
  if (longestLine > longLineLimitBytes) {
    return warn(
      "event-size",
      `a line of ${formatBytes(longestLine)} (largest event ${formatBytes(largest)}): clients with a ` +
        "64 KiB line limit (Go bufio.Scanner and others) fail",
      "keep lines under 64 KiB: split big payloads into several data: lines or events",
    );
  }
  return pass(
    "event-size",
    `largest event ${formatBytes(largest)}, longest line ${formatBytes(longestLine)}`,
  );
}

export function checkHttpVersion(o: DoctorObservation): CheckResult {
  const version = o.httpVersion ?? "1.1";
  if (o.alpnProtocol === "h2") {
    return pass("http-version", `HTTP/${version} used; the server offers HTTP/2 (ALPN h2)`);
  }
  if (o.url.startsWith("https:") && o.alpnProtocol !== undefined) {
    return warn(
      "http-version",
      "HTTP/1.1 only: browsers open at most 6 connections per origin, so a 7th tab's " +
        "EventSource stalls",
      "enable HTTP/2 on the server or its TLS proxy",
    );
  }
  if (o.url.startsWith("https:")) {
    return pass("http-version", `HTTP/${version} (HTTP/2 support not probed)`);
  }
  return pass(
    "http-version",
    `HTTP/${version} over cleartext (browsers allow 6 streams per origin without TLS + HTTP/2)`,
  );
}
