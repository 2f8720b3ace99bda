/**
 * Reads the body of a `POST <stream path>` to `serve` into events. Pure: the body text and its
 * Content-Type in, events or a typed problem out; the server turns a problem into a 400 with a
 * JSON error body.
 *
 * Accepted bodies, by Content-Type (any other type, a form body included, is refused with 415
 * before the body is read: an HTML form must not be able to publish):
 * - `text/plain`: the whole body is one event's data (one trailing line break, as `echo`
 *   adds, is dropped).
 * - `application/json`, `application/x-ndjson`, `application/ndjson`: one JSON value
 *   (pretty-printed is fine), or NDJSON (one JSON value per non-empty line) for several
 *   events. Each value is read exactly like a line of `serve --format ndjson`, by the same
 *   parser (input/formats.ts).
 */
import type { OutgoingEvent } from "../../sse/encoder.js";
import { outgoingEventProblem } from "../../sse/encoder.js";
import { jsonNestsDeeperThan } from "../../sse/json-depth.js";
import { createInputParser, type InputParserOptions } from "../input/formats.js";

export type PublishBodyKind = "text" | "json";

const jsonMediaTypes = new Set(["application/json", "application/x-ndjson", "application/ndjson"]);

/** How a body of this Content-Type is read, or undefined when it is not accepted (415). */
export function publishBodyKind(contentType: string | undefined): PublishBodyKind | undefined {
  const mediaType = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (mediaType === "text/plain") return "text";
  return jsonMediaTypes.has(mediaType) ? "json" : undefined;
}

/** The 415 answer's error text. */
export const unsupportedBodyMessage =
  "send Content-Type: application/json (one event, or application/x-ndjson for one per line) " +
  "or text/plain (the body is one event's data); with curl: --json '{...}' or " +
  "-H 'Content-Type: application/json' -d '{...}'";

/** Bodies larger than this get 413; publishing is for events, not uploads. */
export const maxPublishBodyBytes = 1024 * 1024;

export type PublishBodyResult =
  | { ok: true; events: OutgoingEvent[] }
  | { ok: false; error: PublishBodyProblem };

export interface PublishBodyProblem {
  type: "empty-body" | "invalid-event";
  message: string;
  /** 1-based line of the body the problem is on. */
  line?: number;
}

export function parsePublishBody(
  kind: PublishBodyKind,
  bodyText: string,
  options: InputParserOptions = {},
): PublishBodyResult {
  if (kind === "text") {
    const data = bodyText.replace(/(\r\n|\r|\n)$/, "");
    if (data === "") return problem("empty-body", "the body is empty: nothing to publish");
    const event: OutgoingEvent = { data };
    if (options.defaultEventType !== undefined) event.event = options.defaultEventType;
    return { ok: true, events: [event] };
  }
  if (bodyText.trim() === "") return problem("empty-body", "the body is empty: nothing to publish");

  // One JSON value, pretty-printed or not, is one event: read as its NDJSON line. Nesting too
  // deep to re-serialise is left to the line reader, which refuses it.
  const whole = jsonNestsDeeperThan(bodyText) ? { ok: false as const } : parseJsonValue(bodyText);
  const lines = whole.ok ? [JSON.stringify(whole.value)] : bodyText.split(/\r\n|\r|\n/);
  const parser = createInputParser("ndjson", options);
  const events: OutgoingEvent[] = [];
  for (const [index, text] of lines.entries()) {
    const lineNumber = index + 1;
    for (const item of parser.pushLine(text, lineNumber)) {
      if (item.kind === "notice") continue;
      if (item.kind === "warning") {
        // The file reader skips a bad line with a warning; a publisher gets a 400 instead.
        const reason = item.message.replace(/, line skipped$/, "");
        return problem("invalid-event", whole.ok ? reason : `line ${lineNumber}: ${reason}`, {
          line: lineNumber,
          hint: /invalid JSON/.test(reason),
        });
      }
      const encodingProblem = outgoingEventProblem(item.event);
      if (encodingProblem !== undefined) {
        return problem(
          "invalid-event",
          whole.ok ? encodingProblem : `line ${lineNumber}: ${encodingProblem}`,
          { line: lineNumber },
        );
      }
      events.push(item.event);
    }
  }
  for (const item of parser.end()) if (item.kind === "event") events.push(item.event);
  return { ok: true, events };
}

function parseJsonValue(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function problem(
  type: PublishBodyProblem["type"],
  message: string,
  where: { line?: number; hint?: boolean } = {},
): PublishBodyResult {
  const text = where.hint ? `${message}; send text with Content-Type: text/plain` : message;
  return {
    ok: false,
    error:
      where.line === undefined
        ? { type, message: text }
        : { type, message: text, line: where.line },
  };
}
