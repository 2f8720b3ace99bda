/**
 * Reads the body of a `POST <stream path>` to `serve` into events. Pure: the body text and its
 * Content-Type in, events or a typed problem out; the server turns a problem into a 400 with a
 * JSON error body.
 *
 * Accepted bodies:
 * - `text/plain`: the whole body is one event's data (one trailing line break, as `echo`
 *   adds, is dropped).
 * - anything else (`application/json`, `application/x-ndjson`, or curl's default form type):
 *   one JSON value, or NDJSON (one JSON value per non-empty line) for several events. Each
 *   value is read like a line of `serve --format ndjson`.
 */
import type { OutgoingEvent } from "./event-stream-encoder.js";
import { outgoingEventProblem } from "./event-stream-encoder.js";

/** Bodies larger than this get 413; publishing is for events, not uploads. */
export const maxPublishBodyBytes = 1024 * 1024;

export type PublishBodyResult =
  | { ok: true; events: OutgoingEvent[] }
  | { ok: false; error: PublishBodyProblem };

export interface PublishBodyProblem {
  type: "empty-body" | "invalid-json" | "invalid-event";
  message: string;
  /** 1-based line of the body the problem is on, for NDJSON bodies. */
  line?: number;
}

export function parsePublishBody(
  contentType: string | undefined,
  bodyText: string,
): PublishBodyResult {
  const mediaType = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (mediaType === "text/plain") {
    const data = bodyText.replace(/(\r\n|\r|\n)$/, "");
    if (data === "") return problem("empty-body", "the body is empty: nothing to publish");
    return { ok: true, events: [{ data }] };
  }
  if (bodyText.trim() === "") return problem("empty-body", "the body is empty: nothing to publish");

  // One JSON value, which may span several lines (pretty-printed), is one event.
  const whole = parseJson(bodyText);
  if (whole.ok) {
    const read = eventFromJsonValue(whole.value);
    return read.ok ? { ok: true, events: [read.event] } : problem("invalid-event", read.message);
  }

  const events: OutgoingEvent[] = [];
  const lines = bodyText.split(/\r\n|\r|\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const lineNumber = index + 1;
    const parsed = parseJson(line);
    if (!parsed.ok) {
      return problem(
        "invalid-json",
        `line ${lineNumber}: not JSON (${parsed.message}); send text with Content-Type: text/plain`,
        lineNumber,
      );
    }
    const read = eventFromJsonValue(parsed.value);
    if (!read.ok)
      return problem("invalid-event", `line ${lineNumber}: ${read.message}`, lineNumber);
    events.push(read.event);
  }
  return { ok: true, events };
}

type EventRead = { ok: true; event: OutgoingEvent } | { ok: false; message: string };

/**
 * One JSON value as an event, with the fields of the `ndjson` input format: `event`, `data`
 * (a string, or any JSON value sent as its JSON text), `id`, `retry`, `comment`. Other fields
 * (such as `time` from `listen --json`) are ignored. A value that is not an object is the data.
 */
export function eventFromJsonValue(value: unknown): EventRead {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: true, event: { data: typeof value === "string" ? value : JSON.stringify(value) } };
  }
  const fields = value as Record<string, unknown>;
  const event: OutgoingEvent = {};
  if (fields.event !== undefined) {
    if (typeof fields.event !== "string") return { ok: false, message: "event must be a string" };
    event.event = fields.event;
  }
  if (fields.data !== undefined) {
    event.data = typeof fields.data === "string" ? fields.data : JSON.stringify(fields.data);
  }
  if (fields.id !== undefined) {
    if (typeof fields.id !== "string" && typeof fields.id !== "number") {
      return { ok: false, message: "id must be a string" };
    }
    event.id = String(fields.id);
  }
  if (fields.retry !== undefined) {
    if (typeof fields.retry !== "number") return { ok: false, message: "retry must be a number" };
    event.retry = fields.retry;
  }
  if (fields.comment !== undefined) {
    if (typeof fields.comment !== "string") {
      return { ok: false, message: "comment must be a string" };
    }
    event.comment = fields.comment;
  }
  if (Object.keys(event).length === 0) {
    return { ok: false, message: "an event needs at least one of event, data, id, retry, comment" };
  }
  const encodingProblem = outgoingEventProblem(event);
  if (encodingProblem !== undefined) return { ok: false, message: encodingProblem };
  return { ok: true, event };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

function problem(
  type: PublishBodyProblem["type"],
  message: string,
  line?: number,
): PublishBodyResult {
  return { ok: false, error: line === undefined ? { type, message } : { type, message, line } };
}
