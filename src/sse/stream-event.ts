/**
 * What the event-stream decoder (decoder.ts) hands out: dispatched events as a browser's
 * EventSource would see them, and the recoverable problems it tells on the way.
 */

/** One dispatched event, as a browser's MessageEvent would carry it. */
export interface StreamEvent {
  /** The event type: the `event:` field's value, or "message" when it was empty or absent. */
  type: string;
  /** The data buffer with its one trailing LF removed (§9.2.6 dispatch step 3). */
  data: string;
  /** The source's last event ID string at dispatch time, as `event.lastEventId` ("" if none). */
  lastEventId: string;
  /**
   * true when `lastEventId` is not "" and the event's own block had no `id:` line: the id was
   * inherited from an earlier block (what one debugs). Absent otherwise.
   */
  inheritedId?: true;
}

/** A recoverable oddity in the stream. None of them stops the decoder. */
export type DecodeProblem =
  /** Bytes that are not UTF-8: each maximal invalid sequence became one U+FFFD (§9.2.5). */
  | { type: "invalid-utf8"; count: number }
  /** `retry:` whose value is not only ASCII digits: ignored, as the spec says. */
  | { type: "invalid-retry"; value: string }
  /** A line whose field name the spec does not know: ignored. */
  | { type: "unknown-field"; field: string }
  /**
   * A line or event grew over `maxEventSize`: that event is skipped (its data discarded as it
   * streams past, memory bounded) and decoding goes on with the next one. Its `id:` and
   * `retry:` lines still count, as the spec's dispatch step 1 sets the last event ID anyway.
   */
  | { type: "event-too-large"; limit: number };

export interface DecoderHandlers {
  onEvent: (event: StreamEvent) => void;
  /** A valid `retry:` field: the new reconnection time in milliseconds. */
  onRetry?: (ms: number) => void;
  /** A comment line; `text` is what follows the colon, less one leading space. */
  onComment?: (text: string) => void;
  onProblem?: (problem: DecodeProblem) => void;
}

export interface DecoderOptions {
  /** Upper bound, in UTF-16 code units, on one unfinished line plus the pending data buffer. */
  maxEventSize?: number;
  /** The last event ID to start from (for example from `--last-event-id`). */
  lastEventId?: string;
}
