/**
 * eventsource-parser with two of its habits worked around, so the decoder can use it as it is:
 *
 * - At a stream's start it strips U+00EF U+00BB U+00BF as if they were a BOM read as Latin-1.
 *   Text decoded as UTF-8 with that start is no BOM (§9.2.5: the field name is then "ï»¿data",
 *   unknown), and the decoder strips the real BOM from the bytes itself. One U+FEFF fed at the
 *   start of every stream uses up the parser's BOM check, so it never strips anything.
 * - It makes a ParseError, an Error with a stack trace, for every unknown field or bad `retry:`,
 *   and a hostile stream can hold one on every line. The parser runs with stack traces off; the
 *   callbacks it calls run with the caller's setting.
 *
 * Both are written up for upstream in bench/NOTES.md; this file goes when they are fixed there.
 */
import {
  createParser,
  type EventSourceMessage,
  type ParseError,
  type ParserCallbacks,
} from "eventsource-parser";

export type { EventSourceMessage, ParseError };

export interface QuietParser {
  /** Feeds decoded text: whole lines, as the decoder only ever gives. */
  feed(text: string): void;
  /** Forgets what is held: a new stream, primed again. */
  reset(): void;
}

type Callbacks = Pick<ParserCallbacks, "onEvent" | "onId" | "onRetry" | "onComment" | "onError">;

export function createQuietParser(callbacks: Callbacks): QuietParser {
  /** `Error.stackTraceLimit` outside the parser, while the parser runs. */
  let callerLimit = 10;
  /** A callback, run with the caller's stack traces (a throw passes through `feed`'s finally). */
  const withCallerTraces = <T>(callback: ((value: T) => void) | undefined) =>
    callback &&
    ((value: T) => {
      Error.stackTraceLimit = callerLimit;
      callback(value);
      Error.stackTraceLimit = 0;
    });
  const parser = createParser({
    onEvent: withCallerTraces(callbacks.onEvent),
    // Sets a field only, at every event: no wrapper.
    onId: callbacks.onId,
    onRetry: withCallerTraces(callbacks.onRetry),
    onComment: withCallerTraces(callbacks.onComment),
    onError: withCallerTraces(callbacks.onError),
  });
  const feed = (text: string): void => {
    callerLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      parser.feed(text);
    } finally {
      Error.stackTraceLimit = callerLimit;
    }
  };
  feed("\uFEFF");
  return {
    feed,
    reset: () => {
      parser.reset();
      feed("\uFEFF");
    },
  };
}
