/**
 * What one watch of an endpoint by `sse-tool doctor` observed: filled by src/doctor/probe.ts,
 * judged by the checks (src/doctor/checklist.ts). Pure.
 */
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

/** Events that set an id: their last event ID differs from the event before them. */
export function eventsWithNewIds(events: readonly ObservedEvent[]): ObservedEvent[] {
  let previous = "";
  return events.filter((event) => {
    const changed = event.lastEventId !== "" && event.lastEventId !== previous;
    previous = event.lastEventId;
    return changed;
  });
}
