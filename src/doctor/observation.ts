/**
 * What one watch of an endpoint by `sse-tool doctor` observed: filled by src/doctor/probe.ts,
 * judged by the checks (src/doctor/checklist.ts). Pure.
 */
import type { LineEndingCounts } from "./line-ending-scan.js";
import type { StreamSummary } from "./stream-tally.js";

export type StreamEnd = "end" | "cut" | "reset";

/** The live resume test: reconnect with Last-Event-ID = the last id seen. */
export type ResumeObservation =
  | { ran: false; reason: string }
  | {
      ran: true;
      lastEventIdSent: string;
      /** Undefined when the reconnect failed before a response. */
      status?: number;
      error?: string;
      /** The resumed connection; its decoder started with an empty last event ID. */
      stream: StreamSummary;
      /** How long the resumed connection was watched. */
      watchedMs: number;
    };

export interface DoctorObservation {
  url: string;
  /** `--origin`: the page origin to check CORS for. */
  origin?: string;
  /**
   * How long the endpoint was watched, in fact: from the request to the end of the first
   * watch (at most `--duration`; less when the connection failed, the stream ended or Ctrl-C).
   */
  durationMs: number;
  /** The request failed before any response (DNS, refused, TLS, timeout). */
  connectError?: string;
  /** The error code behind it (ECONNREFUSED, a TLS alert), to choose the fix. */
  connectErrorCode?: string;
  /** Connected, but no response headers came within this many ms (a buffering proxy?). */
  noHeadersWithinMs?: number;
  status?: number;
  /** The start of a body that is not an event stream (an error page), whitespace collapsed. */
  bodyStart?: string;
  /** Response headers, names lower-case, repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The HTTP version of the response ("1.1"). */
  httpVersion?: string;
  /** For https: the protocol the server chose when offered h2 and http/1.1 (ALPN). */
  alpnProtocol?: string;
  /** The watched stream, summarised (times in ms since the headers). */
  stream: StreamSummary;
  /** The last valid `retry:` value seen. */
  retryMs?: number;
  lineEndings: LineEndingCounts;
  bodyBytes: number;
  /** The decoder's limit on one event; larger ones were skipped (counted in the summary). */
  maxEventBytes: number;
  /** When the server closed the stream within the watch, ms since the headers. */
  endedAtMs?: number;
  /**
   * How it closed: with a proper end of response, cut (the connection closed mid-response,
   * no end), or reset (ECONNRESET).
   */
  endedHow?: StreamEnd;
  /** From sending the request to the response headers, ms. */
  headersAfterMs?: number;
  resume: ResumeObservation;
}
