/**
 * Writes serve's requests into the journal (request-journal.ts) as node:http sees them: the
 * request line and headers on arrival, the body when a route reads it (read-body.ts reports
 * it here), the status and how the answer ended when its response closes.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { redactHeaderValue, redactUrl } from "../../http/redaction.js";
import {
  type JournalEnd,
  type JournalRequest,
  maxJournalBodyBytes,
  type RequestJournal,
} from "./request-journal.js";

/** The journal entry of each request being recorded, for the body and the end to find. */
const entries = new WeakMap<IncomingMessage, { journal: RequestJournal; entry: JournalRequest }>();

/**
 * A route read this request's body (`bytes`: what it kept, `totalBytes`: all it read): the
 * journal keeps its start. Nothing happens for a request no journal records.
 */
export function reportRequestBody(request: IncomingMessage, bytes: Buffer, totalBytes: number) {
  const recorded = entries.get(request);
  if (recorded === undefined) return;
  const kept = bytes.subarray(0, maxJournalBodyBytes);
  recorded.entry.body = new TextDecoder("utf-8").decode(kept);
  recorded.entry.bodyBytes = totalBytes;
  if (totalBytes > kept.length) recorded.entry.bodyTruncated = true;
  recorded.journal.changed(recorded.entry);
}

/** The fault spec a stream request chose, for its journal entry. */
export function reportRequestFaults(request: IncomingMessage, spec: string): void {
  const recorded = entries.get(request);
  if (recorded === undefined) return;
  recorded.entry.faults = spec;
  recorded.journal.changed(recorded.entry);
}

/** Asked when a stream's response closes: whether the server cut or dropped it. */
const serverEnds = new WeakMap<IncomingMessage, () => JournalEnd | undefined>();

/**
 * The stream route tells how to learn whether a fault cut this request's stream or the hub
 * dropped it; asked when the response closes.
 */
export function reportStreamEnd(
  request: IncomingMessage,
  how: () => "cut" | "dropped" | undefined,
): void {
  serverEnds.set(request, how);
}

/** Starts the journal entry of `request`; it is completed when `response` closes. */
export function recordRequest(
  journal: RequestJournal,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers[name] = redactHeaderValue(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const lastEventId = request.headers["last-event-id"];
  const entry = journal.add({
    method: request.method ?? "",
    path: pathOf(request.url ?? "/"),
    headers,
    ...(typeof lastEventId === "string" ? { lastEventId } : {}),
    peer: `${request.socket.remoteAddress}:${request.socket.remotePort}`,
    startedAt: Date.now(),
  });
  entries.set(request, { journal, entry });
  response.once("close", () => {
    entry.status = response.statusCode;
    entry.endedAt = Date.now();
    entry.ended =
      serverEnds.get(request)?.() ?? (response.writableFinished ? "finished" : "closed");
    journal.changed(entry);
  });
}

/** The request target as sent, with secret-looking query values redacted. */
function pathOf(target: string): string {
  if (!target.includes("?")) return target;
  const redacted = redactUrl(`http://journal.invalid${target.startsWith("/") ? "" : "/"}${target}`);
  return redacted.slice("http://journal.invalid".length);
}
