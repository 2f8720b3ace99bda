/**
 * A recording (src/recording/format.ts) read as what `serve --replay` plays: its responses in
 * order, each with its head (status, and the recorded headers less the ones that describe the
 * original connection), its body chunks with their times, and how it ended; and where a client
 * that sends a Last-Event-ID resumes: right after the block that set that id, the first time it
 * was set in the recording. Pure.
 */

import { redactedValue } from "../../http/redaction.js";
import type { DisconnectReason, RecordingEntry, ResponseHeaders } from "../../recording/format.js";
import { EventEndFinder } from "../../sse/event-ends.js";
import { earliestEventId } from "./hub.js";

export interface ReplayChunk {
  /** Milliseconds since the first request was sent. */
  t: number;
  bytes: Buffer;
}

/** One recorded response. */
export interface ReplaySegment {
  /** When its request was sent (ms since the first request). */
  requestT: number;
  /** When its head arrived. */
  headT: number;
  status: number;
  statusText: string;
  /** The headers to send: hop-by-hop, framing, CORS and redacted ones left out. */
  headers: Array<[name: string, value: string | string[]]>;
  chunks: ReplayChunk[];
  /** How it ended; undefined when the recording stops first (the client stopped). */
  end: DisconnectReason | undefined;
}

/** Where a replay starts or goes on: a chunk of a segment, and an offset into it. */
export interface ReplayPosition {
  segment: number;
  chunk: number;
  offset: number;
}

/** Where a new client starts, and why (for the connect line). */
export type ReplayStart =
  | { kind: "start"; position: ReplayPosition }
  | { kind: "earliest"; position: ReplayPosition }
  | { kind: "resumed"; position: ReplayPosition }
  | { kind: "unknown-id"; position: ReplayPosition };

/**
 * Headers that describe the recorded connection, not the stream (RFC 9110 §7.6.1, and the
 * framing and content coding: the body was recorded decoded, and is framed anew), and CORS
 * headers: who may read the replay is this server's decision (--cors), not the original's.
 */
const leftOutHeaders = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "content-length",
  "content-encoding",
  "set-cookie",
]);

const CR = 0x0d;
const LF = 0x0a;

const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What node:http accepts in a header value or a status text. */
const headerValue = /^[\t\x20-\x7e\x80-\xff]*$/;

export class ReplayPlan {
  readonly segments: readonly ReplaySegment[];
  /** Recorded headers left out because node:http cannot send them (a bad name or character). */
  readonly unsendableHeaders: number;
  /** Last-Event-ID -> where the replay goes on after the block that first set it. */
  readonly #resumeAt: Map<string, ReplayPosition>;

  constructor(segments: readonly ReplaySegment[], unsendableHeaders = 0) {
    this.segments = segments;
    this.unsendableHeaders = unsendableHeaders;
    this.#resumeAt = indexIds(segments);
  }

  /** The first segment: where a client without a Last-Event-ID starts. */
  get firstPosition(): ReplayPosition {
    return { segment: 0, chunk: 0, offset: 0 };
  }

  /** Where a client with this Last-Event-ID (or none) starts. */
  startFor(lastEventId: string | undefined): ReplayStart {
    const position = this.firstPosition;
    if (lastEventId === undefined) return { kind: "start", position };
    if (lastEventId === earliestEventId) return { kind: "earliest", position };
    const found = this.#resumeAt.get(lastEventId);
    return found === undefined
      ? { kind: "unknown-id", position }
      : { kind: "resumed", position: this.#goOnFrom(found) };
  }

  /**
   * A position at the very end of a response goes on where the recorded client went on: the
   * next response that is a stream (one it was answered with an error in between is skipped,
   * or a client resuming with the same id would get that error forever).
   */
  #goOnFrom(position: ReplayPosition): ReplayPosition {
    const segment = this.segments[position.segment]!;
    if (position.chunk < segment.chunks.length) return position;
    for (let next = position.segment + 1; next < this.segments.length; next++) {
      if (this.segments[next]!.status === 200) return { segment: next, chunk: 0, offset: 0 };
    }
    return position;
  }

  /** The first segment that is a stream (200 with chunks or an end), for --loop. */
  get loopSegment(): number {
    const index = this.segments.findIndex((segment) => segment.status === 200);
    return index === -1 ? 0 : index;
  }
}

/** Why the entries cannot be replayed, with the line number of the problem when there is one. */
export interface ReplayPlanProblem {
  problem: string;
}

/**
 * Builds the plan from a recording's entries, in order (the header line first). A response
 * before any request, or a chunk without a response, is a problem: the file was edited wrong.
 */
export function buildReplayPlan(
  entries: readonly RecordingEntry[],
): ReplayPlan | ReplayPlanProblem {
  const segments: ReplaySegment[] = [];
  let requestT: number | undefined;
  let current: ReplaySegment | undefined;
  let unsendableHeaders = 0;
  for (const entry of entries) {
    switch (entry.type) {
      case "recording":
        break;
      case "request":
        requestT = entry.t;
        current = undefined;
        break;
      case "response": {
        if (requestT === undefined) return { problem: "a response before any request" };
        if (entry.status < 200 || entry.status > 599) {
          return { problem: `status ${entry.status} cannot be replayed` };
        }
        const headers = replayHeaders(entry.headers);
        unsendableHeaders += headers.invalid;
        current = {
          requestT,
          headT: entry.t,
          status: entry.status,
          statusText: headerValue.test(entry.statusText) ? entry.statusText : "",
          headers: headers.kept,
          chunks: [],
          end: undefined,
        };
        segments.push(current);
        break;
      }
      case "chunk":
        if (current === undefined) return { problem: "a chunk without a response before it" };
        if (entry.bytes.length > 0)
          current.chunks.push({ t: entry.t, bytes: Buffer.from(entry.bytes) });
        break;
      case "disconnect":
        if (current !== undefined) current.end = entry.reason;
        current = undefined;
        break;
    }
  }
  if (segments.length === 0) return { problem: "the recording holds no response to replay" };
  return new ReplayPlan(segments, unsendableHeaders);
}

/** The recorded headers that are sent again. */
function replayHeaders(headers: ResponseHeaders): {
  kept: Array<[string, string | string[]]>;
  invalid: number;
} {
  const connectionNamed = new Set<string>();
  const connection = headers.connection ?? headers.Connection;
  for (const value of Array.isArray(connection) ? connection : [connection ?? ""]) {
    for (const name of value.split(",")) connectionNamed.add(name.trim().toLowerCase());
  }
  const kept: Array<[string, string | string[]]> = [];
  let invalid = 0;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (leftOutHeaders.has(lower) || connectionNamed.has(lower)) continue;
    if (lower.startsWith("access-control-")) continue;
    const values = Array.isArray(value) ? value : [value];
    if (values.includes(redactedValue)) continue;
    if (!headerName.test(name) || !values.every((item) => headerValue.test(item))) {
      invalid++;
      continue;
    }
    kept.push([lower, value]);
  }
  return { kept, invalid };
}

/**
 * Every Last-Event-ID the recording sets, with the position just after the block that first
 * set it. Each segment's body is decoded as the client decoded it: a new body per segment, the
 * last event ID carried over.
 */
function indexIds(segments: readonly ReplaySegment[]): Map<string, ReplayPosition> {
  const resumeAt = new Map<string, ReplayPosition>();
  const finder = new EventEndFinder();
  segments.forEach((segment, segmentIndex) => {
    finder.startStream();
    segment.chunks.forEach((chunk, chunkIndex) => {
      for (const end of finder.feed(chunk.bytes)) {
        if (resumeAt.has(end.lastEventId) || end.lastEventId === "") continue;
        let position = { segment: segmentIndex, chunk: chunkIndex, offset: end.offset };
        if (end.offset === chunk.bytes.length) {
          // A blank line's CR ends this chunk and its LF starts the next: skip that LF too.
          const next = segment.chunks[chunkIndex + 1]?.bytes;
          const lfFollows = chunk.bytes[end.offset - 1] === CR && next?.[0] === LF;
          position = { segment: segmentIndex, chunk: chunkIndex + 1, offset: lfFollows ? 1 : 0 };
        }
        // A copy: the id as decoded is a slice of the chunk's text, which it would keep alive.
        resumeAt.set(Buffer.from(end.lastEventId).toString(), position);
      }
    });
  });
  return resumeAt;
}
