/**
 * The effects of `sse-tool doctor`: watches an endpoint for a while, reconnects once with the
 * last id to test resumption, and records what it saw as a `DoctorObservation` for the pure
 * checks (src/doctor/checklist.ts).
 */
import { isIP } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { SseToolError } from "../errors.js";
import { type HttpResponse, openRequest, readBodyStart } from "../http/client.js";
import type { HttpDispatcher } from "../http/dispatcher.js";
import {
  describeNetworkError,
  errorCode,
  isHeadersTimeout,
  unreachablePeer,
} from "../http/network-error.js";
import { mimeEssence } from "../sse/response-verdict.js";
import { maxEventSize, type Watch, type WatchProgress, watchBody } from "./body-watch.js";
import type { DoctorObservation, ResumeObservation } from "./observation.js";
import type { WatchTimeline } from "./report/watch-timeline.js";
import { StreamTally } from "./stream-tally.js";

export interface DoctorProbeRequest {
  url: string;
  method: string;
  /** Request headers without Last-Event-ID (the probe adds it for the resume test). */
  headers: Record<string, string>;
  body?: Uint8Array;
  /** Lower-case names of the -H headers: not sent to another origin on redirect. */
  userHeaderNames: ReadonlySet<string>;
  /** --location-trusted: send them anyway. */
  locationTrusted: boolean;
  dispatcher: HttpDispatcher;
  /** How long to watch the first connection. */
  durationMs: number;
  /** Page origin to check CORS for (also sent as the Origin header). */
  origin?: string;
  connectTimeoutMs: number;
  /** Probe ALPN for HTTP/2 support (https without a proxy only). */
  probeAlpn: boolean;
  insecure?: boolean;
  /** Told about each stage, for a live progress line. */
  onProgress?: (stage: string) => void;
  /** Told when each thing happens, for the HTML report (report/watch-timeline.ts). */
  timeline?: WatchTimeline;
  /** Told each request before it is sent and each response head (for -v). */
  onRequest?: (headers: Record<string, string>) => void;
  onResponse?: (response: HttpResponse) => void;
  /** Ctrl-C: stop watching and report what was seen so far. */
  signal?: AbortSignal;
  /** Told every second of the first watch how it goes (a long watch's progress). */
  onWatchProgress?: (progress: WatchProgress) => void;
}

/** Events on the resumed connection after which the resume test has seen enough. */
const resumeEnoughEvents = 3;
const maxRedirects = 10;

/** Node's timers hold at most 2^31-1 ms (24.8 days). */
const maxTimerMs = 2 ** 31 - 1;

function flattenHeaders(headers: HttpResponse["headers"]): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

type Opened =
  | { response: HttpResponse; headersAtMs: number }
  | { error: string; code?: string; noHeadersWithinMs?: number };

async function open(
  request: DoctorProbeRequest,
  extraHeaders: Record<string, string>,
  headersTimeoutMs: number,
): Promise<Opened> {
  const headers = { ...request.headers, ...extraHeaders };
  request.onRequest?.(headers);
  const timeout = AbortSignal.timeout(Math.min(request.durationMs + headersTimeoutMs, maxTimerMs));
  try {
    const response = await openRequest({
      url: request.url,
      method: request.method,
      headers,
      body: request.body,
      dispatcher: request.dispatcher,
      userHeaderNames: request.userHeaderNames,
      locationTrusted: request.locationTrusted,
      signal: request.signal ? AbortSignal.any([timeout, request.signal]) : timeout,
      headersTimeoutMs,
      maxRedirects,
    });
    request.onResponse?.(response);
    return { response, headersAtMs: Date.now() };
  } catch (error) {
    if (error instanceof SseToolError) return { error: error.message };
    if (request.signal?.aborted) return { error: "interrupted (Ctrl-C) before a response" };
    // Through a proxy, every failure to connect is the proxy's: name it.
    const host = new URL(request.url).host;
    const peer = unreachablePeer(error, host);
    const described = describeNetworkError(error, headersTimeoutMs, "doctor");
    const reason = `${peer === host ? "" : `${peer}: `}${described}`;
    const code = errorCode(error);
    return isHeadersTimeout(error)
      ? { error: reason, noHeadersWithinMs: headersTimeoutMs }
      : { error: reason, ...(code === undefined ? {} : { code }) };
  }
}

/** The host of a URL without the brackets of an IPv6 literal. */
function bareHost(hostname: string): string {
  return hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
}

/** Which protocol a TLS server picks when offered h2 and http/1.1; undefined if unknown. */
export function probeAlpn(
  url: URL,
  insecure: boolean,
  timeoutMs: number,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    // TLS wants the bare address, and SNI only for names (RFC 6066 §3: no IP addresses; Node 26
    // refuses one, older lines warn with DEP0123).
    const host = bareHost(url.hostname);
    const socket = tlsConnect({
      host,
      port: Number(url.port || 443),
      ...(isIP(host) === 0 ? { servername: host } : {}),
      ALPNProtocols: ["h2", "http/1.1"],
      rejectUnauthorized: !insecure,
    });
    const done = (protocol: string | undefined) => {
      socket.destroy();
      resolve(protocol);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.once("secureConnect", () =>
      done(typeof socket.alpnProtocol === "string" ? socket.alpnProtocol : "http/1.1"),
    );
    socket.once("error", () => done(undefined));
  });
}

export async function runDoctorProbe(request: DoctorProbeRequest): Promise<DoctorObservation> {
  const originHeader: Record<string, string> =
    request.origin === undefined ? {} : { origin: request.origin };
  const observation: DoctorObservation = {
    url: request.url,
    origin: request.origin,
    durationMs: request.durationMs,
    headers: {},
    stream: new StreamTally().summary(0),
    lineEndings: { lf: 0, crlf: 0, cr: 0, longestLineBytes: 0 },
    bodyBytes: 0,
    maxEventBytes: maxEventSize,
    resume: { ran: false, reason: "no stream" },
  };
  const target = new URL(request.url);
  const alpn =
    request.probeAlpn && target.protocol === "https:"
      ? probeAlpn(target, request.insecure === true, request.connectTimeoutMs)
      : Promise.resolve(undefined);

  request.onProgress?.("connecting");
  const startedAtMs = Date.now();
  // Headers later than the watch itself would be: doctor keeps to --duration, and says why.
  const first = await open(
    request,
    originHeader,
    Math.min(request.connectTimeoutMs, request.durationMs),
  );
  observation.alpnProtocol = await alpn;
  // What the report says it watched is the time it took, not what --duration allowed.
  observation.durationMs = Date.now() - startedAtMs;
  if ("error" in first) {
    observation.connectError = first.error;
    if (first.code !== undefined) observation.connectErrorCode = first.code;
    if (first.noHeadersWithinMs !== undefined) {
      observation.noHeadersWithinMs = first.noHeadersWithinMs;
    }
    return observation;
  }
  const { response } = first;
  observation.url = response.url;
  observation.status = response.status;
  observation.headersAfterMs = first.headersAtMs - startedAtMs;
  observation.httpVersion = response.httpVersion ?? "1.1";
  observation.headers = flattenHeaders(response.headers);
  // The body arrives decoded; the header still says it was compressed.
  if (
    response.status < 200 ||
    response.status > 299 ||
    response.status === 204 ||
    mimeEssence(observation.headers["content-type"]) !== "text/event-stream"
  ) {
    const start = await readBodyStart(response.body, 300);
    observation.bodyStart = start.toString("utf8").replace(/\s+/g, " ").trim();
    observation.resume = { ran: false, reason: "no event stream" };
    return observation;
  }

  request.onProgress?.(`watching for ${(request.durationMs / 1000).toFixed(1)} s`);
  request.timeline?.mark("headers", first.headersAtMs);
  const firstTally = new StreamTally();
  const watch = await watchBody(
    response,
    first.headersAtMs,
    request.durationMs,
    firstTally,
    undefined,
    request.signal,
    request.onWatchProgress,
    request.timeline,
  );
  if (watch.endedAtMs !== undefined) {
    request.timeline?.mark("end", first.headersAtMs + watch.endedAtMs);
  }
  const watchedMs = watch.watchedMs ?? request.durationMs;
  observation.durationMs = watchedMs;
  observation.retryMs = watch.retryMs;
  observation.bodyBytes = watch.bodyBytes;
  observation.lineEndings = watch.lineEndings.counts;
  if (watch.endedAtMs !== undefined) observation.endedAtMs = watch.endedAtMs;
  if (watch.endedHow !== undefined) observation.endedHow = watch.endedHow;
  observation.stream = firstTally.summary(watch.endedAtMs ?? watchedMs);

  observation.resume = request.signal?.aborted
    ? { ran: false, reason: "interrupted (Ctrl-C)" }
    : await resumeTest(request, originHeader, watch, observation);
  return observation;
}

/** HTML §9.2.3: reconnect with Last-Event-ID; the server should continue after that id. */
async function resumeTest(
  request: DoctorProbeRequest,
  originHeader: Record<string, string>,
  firstWatch: Watch,
  observation: DoctorObservation,
): Promise<ResumeObservation> {
  if (observation.stream.eventsWithNewIds === 0) {
    return { ran: false, reason: "no event carried an id, nothing to resume from" };
  }
  const lastEventIdSent = firstWatch.lastEventId;
  if (lastEventIdSent === "") {
    return { ran: false, reason: "the last event ID was reset to empty" };
  }
  request.onProgress?.(`reconnecting with Last-Event-ID: ${lastEventIdSent}`);
  const windowMs = Math.max(1000, Math.min(request.durationMs, 5000));
  const resumedTally = new StreamTally((id) => firstWatch.tally.knows(id));
  request.timeline?.mark("resume-request", Date.now(), lastEventIdSent);
  const resumed = await open(
    request,
    { ...originHeader, "last-event-id": lastEventIdSent },
    Math.min(request.connectTimeoutMs, windowMs),
  );
  if ("error" in resumed) {
    return {
      ran: true,
      lastEventIdSent,
      error: resumed.error,
      stream: resumedTally.summary(0),
      watchedMs: 0,
    };
  }
  const { response } = resumed;
  request.timeline?.mark("resume-headers", resumed.headersAtMs);
  if (response.status !== 200) {
    await readBodyStart(response.body, 0);
    return {
      ran: true,
      lastEventIdSent,
      status: response.status,
      stream: resumedTally.summary(0),
      watchedMs: 0,
    };
  }
  const watch = await watchBody(
    response,
    resumed.headersAtMs,
    windowMs,
    resumedTally,
    () => resumedTally.newIdCount >= resumeEnoughEvents,
    request.signal,
    undefined,
    request.timeline && {
      mark: (kind, atEpochMs, label) => {
        if (kind === "event") request.timeline?.mark("resume-event", atEpochMs, label);
      },
    },
  );
  const watchedMs = watch.endedAtMs ?? windowMs;
  return {
    ran: true,
    lastEventIdSent,
    status: response.status,
    stream: resumedTally.summary(watchedMs),
    watchedMs,
  };
}
