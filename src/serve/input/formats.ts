/**
 * The input formats of `serve`: text lines in, events (or warnings with a line number) out.
 * Pure: the caller splits the source into lines and numbers them (lines.ts).
 *
 * - `lines`:  each non-empty line is one event, its data the line.
 * - `ndjson`: each line a JSON object {event, data, id, retry, comment, time}; a non-object
 *             JSON value is the data. `sse-tool listen --json` output ({time,event,id,data}) is
 *             valid input, and its `time` is kept for `--timing original`.
 * - `sse`:    raw event-stream text, parsed by EventStreamDecoder (HTML §9.2.5-9.2.6) and
 *             re-emitted event by event.
 * - `auto`:   `sse` when the first non-empty line looks like an event-stream field or comment,
 *             otherwise per line: a JSON object whose keys are all event fields is an event
 *             record, any other line is data (a log line with an `id` key stays a log line).
 *             Input that mixes both gets one notice.
 */
import { EventStreamDecoder } from "../../sse/decoder.js";
import type { OutgoingEvent } from "../../sse/encoder.js";
import { jsonNestsDeeperThan, maxJsonDepth } from "../../sse/json-depth.js";

export type InputFormat = "auto" | "lines" | "ndjson" | "sse";

export interface InputEvent {
  kind: "event";
  event: OutgoingEvent;
  /** The recorded time of the event in epoch milliseconds (ndjson `time`), for pacing. */
  timeMs?: number;
  /** Line number (1-based) where the event ended. */
  line: number;
}

export interface InputWarning {
  kind: "warning";
  line: number;
  message: string;
}

/** Worth saying once, not a bad line (not fatal with --strict). */
export interface InputNotice {
  kind: "notice";
  line: number;
  message: string;
}

export type InputItem = InputEvent | InputWarning | InputNotice;

export interface InputParserOptions {
  /** `--event`: the type for events that carry none. */
  defaultEventType?: string;
}

/** A stateful reader for one pass over the source. */
export interface InputParser {
  /** One line without its line break; `line` is its 1-based number. */
  pushLine(text: string, line: number): InputItem[];
  /** The source ended (an unfinished `sse` block is discarded, as the spec says). */
  end(): InputItem[];
}

/**
 * The keys of an event record: the ndjson fields, and what `listen --json` adds (`time`, and
 * `source` when it follows several streams), so its output reads back as events.
 */
const eventRecordKeys = new Set(["event", "data", "id", "retry", "comment", "time", "source"]);
const eventStreamStart = /^(?::|(?:data|event|id|retry):)/;

export function createInputParser(
  format: InputFormat,
  options: InputParserOptions = {},
): InputParser {
  switch (format) {
    case "lines":
      return perLine((text, line) => plainLine(text, line, options));
    case "ndjson":
      return perLine(ndjsonLine(options));
    case "sse":
      return sseParser(options);
    case "auto":
      return autoParser(options);
  }
}

function perLine(parse: (text: string, line: number) => InputItem[]): InputParser {
  return { pushLine: parse, end: () => [] };
}

function plainLine(text: string, line: number, options: InputParserOptions): InputItem[] {
  if (text === "") return [];
  const event: OutgoingEvent = { data: text };
  if (options.defaultEventType !== undefined) event.event = options.defaultEventType;
  return [{ kind: "event", event, line }];
}

/**
 * ndjson: each line one JSON value; a line that is not JSON is a warning. Ids are re-emitted
 * only when they change, so a `listen --json` capture (which repeats the last event ID on
 * every event) stays compact.
 */
function ndjsonLine(options: InputParserOptions): (text: string, line: number) => InputItem[] {
  const fromRecord = recordReader(options);
  return (text, line) => {
    if (text.trim() === "") return [];
    // The data of a record is re-serialised: a value nested thousands deep would overflow it.
    if (jsonNestsDeeperThan(text)) {
      return [warning(line, `JSON nested deeper than ${maxJsonDepth} levels`)];
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return [warning(line, `invalid JSON (${reason})`)];
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      const event: OutgoingEvent = { data: typeof value === "string" ? value : text.trim() };
      if (options.defaultEventType !== undefined) event.event = options.defaultEventType;
      return [{ kind: "event", event, line }];
    }
    return fromRecord(value as Record<string, unknown>, line);
  };
}

/** Reads event records into events, sending an id only when it changed. */
function recordReader(
  options: InputParserOptions,
): (record: Record<string, unknown>, line: number) => InputItem[] {
  let lastId = "";
  return (record, line) => {
    const built = recordToEvent(record, options);
    if (typeof built === "string") return [warning(line, built)];
    if (built.event.id !== undefined) {
      if (built.event.id === lastId) delete built.event.id;
      else lastId = built.event.id;
    }
    const item: InputEvent = { kind: "event", event: built.event, line };
    if (built.timeMs !== undefined) item.timeMs = built.timeMs;
    return [item];
  };
}

/**
 * `auto`, line by line: a JSON object is an event record only when it has keys and every one
 * is an event field; anything else (other JSON, plain text) is the data of one event, as is.
 * The first line that makes the input a mix of both gets a notice.
 */
function autoLines(options: InputParserOptions): (text: string, line: number) => InputItem[] {
  const fromRecord = recordReader(options);
  let firstRecordLine: number | undefined;
  let firstDataLine: number | undefined;
  let noticed = false;
  return (text, line) => {
    if (text.trim() === "") return [];
    const record = eventRecordOf(text);
    const items = record === undefined ? plainLine(text, line, options) : fromRecord(record, line);
    if (record === undefined) firstDataLine ??= line;
    else firstRecordLine ??= line;
    if (!noticed && firstRecordLine !== undefined && firstDataLine !== undefined) {
      noticed = true;
      items.push({
        kind: "notice",
        line,
        message:
          `mixed input: line ${firstRecordLine} was read as an event record, line ${firstDataLine} as plain data ` +
          `(a JSON object is an event only when all its keys are event fields: ${[...eventRecordKeys].join(", ")}); ` +
          "--format ndjson or --format lines reads every line one way",
      });
    }
    return items;
  };
}

/** The line as an event record, or undefined when it is not one (then it is data). */
function eventRecordOf(text: string): Record<string, unknown> | undefined {
  const start = text.trimStart();
  // Stryker disable next-line StringLiteral: shortcut, JSON.parse decides
  if (!start.startsWith("{") || jsonNestsDeeperThan(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON: `value` stays undefined, no object, so the line is data (below).
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length === 0 || !keys.every((key) => eventRecordKeys.has(key))) return undefined;
  return value as Record<string, unknown>;
}

function warning(line: number, reason: string): InputWarning {
  return { kind: "warning", line, message: `${reason}, line skipped` };
}

/** One ndjson object as an event, or the reason it is not one. */
function recordToEvent(
  record: Record<string, unknown>,
  options: InputParserOptions,
): { event: OutgoingEvent; timeMs: number | undefined } | string {
  const event: OutgoingEvent = {};
  const { event: type, data, id, retry, comment, time } = record;
  if (type !== undefined && type !== null) {
    if (typeof type !== "string") return `"event" must be a string`;
    // "message" is what clients see for no type at all; sending it adds nothing.
    if (type !== "" && type !== "message") event.event = type;
  }
  if (type === undefined && options.defaultEventType !== undefined) {
    event.event = options.defaultEventType;
  }
  if (data !== undefined) event.data = typeof data === "string" ? data : JSON.stringify(data);
  if (id !== undefined && id !== null) {
    if (typeof id !== "string" && typeof id !== "number") return `"id" must be a string`;
    event.id = String(id);
  }
  if (retry !== undefined && retry !== null) {
    const ms = typeof retry === "string" && /^[0-9]+$/.test(retry) ? Number(retry) : retry;
    if (typeof ms !== "number" || !Number.isSafeInteger(ms) || ms < 0) {
      return `bad "retry" ${JSON.stringify(retry)} (expected whole milliseconds)`;
    }
    event.retry = ms;
  }
  if (comment !== undefined && comment !== null) {
    if (typeof comment !== "string") return `"comment" must be a string`;
    event.comment = comment;
  }
  if (
    event.data === undefined &&
    event.id === undefined &&
    event.retry === undefined &&
    event.comment === undefined
  ) {
    return `no "data", "id", "retry" or "comment" field`;
  }
  return { event, timeMs: parseTime(time) };
}

/** `time` as `listen --json` writes it (ISO 8601), or epoch milliseconds. */
function parseTime(time: unknown): number | undefined {
  if (typeof time === "number" && Number.isFinite(time)) return time;
  if (typeof time === "string") {
    const ms = Date.parse(time);
    if (!Number.isNaN(ms)) return ms;
  }
  return undefined;
}

/**
 * Raw event-stream text through the spec decoder. Lines are fed one by one so problems carry
 * a line number. The decoder reports each event's lastEventId; the id is sent only when it
 * changed, which is exactly what a client's last event ID would see.
 */
function sseParser(options: InputParserOptions): InputParser {
  let items: InputItem[] = [];
  let currentLine = 0;
  let sentId = "";
  let pendingRetry: number | undefined;
  let pendingComment: string | undefined;
  const decoder = new EventStreamDecoder({
    onEvent: (decoded) => {
      const event: OutgoingEvent = { data: decoded.data };
      if (decoded.type !== "message") event.event = decoded.type;
      else if (options.defaultEventType !== undefined) event.event = options.defaultEventType;
      if (decoded.lastEventId !== sentId) {
        event.id = decoded.lastEventId;
        sentId = decoded.lastEventId;
      }
      if (pendingRetry !== undefined) event.retry = pendingRetry;
      if (pendingComment !== undefined) event.comment = pendingComment;
      pendingRetry = undefined;
      pendingComment = undefined;
      items.push({ kind: "event", event, line: currentLine });
    },
    onRetry: (ms) => {
      pendingRetry = ms;
    },
    onComment: (text) => {
      pendingComment = pendingComment === undefined ? text : `${pendingComment}\n${text}`;
    },
    onProblem: (problem) => {
      const message =
        problem.type === "invalid-retry"
          ? `bad retry ${JSON.stringify(problem.value)} ignored`
          : problem.type === "unknown-field"
            ? `unknown field ${JSON.stringify(problem.field)} ignored`
            : // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: unreachable
              problem.type === "invalid-utf8"
              ? // Stryker disable next-line StringLiteral: unreachable, text not bytes
                "invalid UTF-8 replaced with U+FFFD"
              : // Stryker disable next-line StringLiteral: unreachable, no size bound
                `event larger than ${problem.limit} characters skipped`;
      items.push({ kind: "warning", line: currentLine, message });
    },
  });
  const flushNonEvents = (line: number): void => {
    // A retry or comment in a block that dispatches nothing still reaches the clients, and a
    // block with only `id:` still changes the last event ID (§9.2.6 dispatch step 1).
    const idChanged = decoder.lastEventId !== sentId;
    if (pendingRetry === undefined && pendingComment === undefined && !idChanged) return;
    const event: OutgoingEvent = {};
    if (pendingRetry !== undefined) event.retry = pendingRetry;
    if (pendingComment !== undefined) event.comment = pendingComment;
    if (idChanged) {
      event.id = decoder.lastEventId;
      sentId = decoder.lastEventId;
    }
    pendingRetry = undefined;
    pendingComment = undefined;
    items.push({ kind: "event", event, line });
  };
  return {
    pushLine(text, line) {
      currentLine = line;
      decoder.feedText(`${text}\n`);
      if (text === "") flushNonEvents(line);
      const out = items;
      items = [];
      return out;
    },
    end() {
      decoder.endStream();
      pendingRetry = undefined;
      pendingComment = undefined;
      return [];
    },
  };
}

function autoParser(options: InputParserOptions): InputParser {
  let chosen: InputParser | undefined;
  return {
    pushLine(text, line) {
      if (chosen === undefined) {
        if (text.trim() === "") return [];
        chosen = eventStreamStart.test(text) ? sseParser(options) : perLine(autoLines(options));
      }
      return chosen.pushLine(text, line);
    },
    end: () => chosen?.end() ?? [],
  };
}
