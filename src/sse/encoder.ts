/**
 * Encodes events as event-stream text for `serve`. Pure: strings in, strings out.
 * The output decodes back (with EventStreamDecoder or any browser) to exactly the input.
 */

/** An event to send. Every field is optional; a block with none of them encodes to "". */
export interface OutgoingEvent {
  /** The event type; omitted or "" means the client sees "message". */
  event?: string;
  /** The payload. CR, LF and CRLF all split it into several `data:` lines. */
  data?: string;
  /** The id; "" resets the client's last event ID. */
  id?: string;
  /** The reconnection time to ask of the client, in milliseconds. */
  retry?: number;
  /** A comment (each of its lines becomes a `:` line). */
  comment?: string;
}

const lineBreak = /\r\n|\r|\n/;

/**
 * Why an event cannot be encoded faithfully, or undefined when it can. §9.2.5: a CR or LF would
 * end the `id:`/`event:` line early, and an id with NUL is ignored by clients.
 */
export function outgoingEventProblem(event: OutgoingEvent): string | undefined {
  if (event.id !== undefined && /[\r\n\0]/.test(event.id)) {
    return "id must not contain CR, LF or NUL";
  }
  if (event.event !== undefined && /[\r\n]/.test(event.event)) {
    return "event name must not contain CR or LF";
  }
  if (event.retry !== undefined && !(Number.isSafeInteger(event.retry) && event.retry >= 0)) {
    return "retry must be a whole number of milliseconds";
  }
  return undefined;
}

/** Encodes one event block, ending with the blank line that dispatches it. */
export function encodeEvent(event: OutgoingEvent): string {
  let out = "";
  if (event.comment !== undefined) out += encodeComment(event.comment);
  if (event.retry !== undefined) out += `retry: ${event.retry}\n`;
  if (event.id !== undefined) out += event.id === "" ? "id\n" : `id: ${event.id}\n`;
  if (event.event !== undefined && event.event !== "") out += `event: ${event.event}\n`;
  if (event.data !== undefined) {
    // Fast path: most payloads are one line.
    // Stryker disable next-line ConditionalExpression,StringLiteral: fast path only
    if (event.data.indexOf("\n") === -1 && event.data.indexOf("\r") === -1) {
      out += `data: ${event.data}\n`;
    } else {
      for (const line of event.data.split(lineBreak)) out += `data: ${line}\n`;
    }
  }
  return out === "" ? "" : `${out}\n`;
}

/** A comment block (heartbeat or note); clients ignore it. */
export function encodeComment(text: string): string {
  let out = "";
  for (const line of text.split(lineBreak)) out += line === "" ? ":\n" : `: ${line}\n`;
  return out;
}
