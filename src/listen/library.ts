/**
 * `listen(url, options)` for test code (`import { listen } from "sse-tool"`): the events of a
 * stream as an async iterable, followed by the very run the command line uses (run.ts, through
 * command.ts), with its request options, reconnection and Last-Event-ID. Nothing is written to
 * stdout or stderr and the process is never exited: events reach the caller's loop through the
 * run's tap, status lines reach `onLog` if given, and a failure is thrown as an SseToolError.
 * Leaving the loop (`break`, `return`, a throw) closes the connection.
 *
 * Back-pressure: the run writes its (raw) output to a stream that accepts a write only while
 * fewer than `maxQueuedEvents` events wait for the caller, so a slow loop pauses the reading
 * of the response as a slow stdout does for the command line.
 */
import { Readable, Writable } from "node:stream";
import type { StreamEvent } from "../sse/decoder.js";
import { type ListenCliOptions, listenDefaults } from "./cli.js";
import { listen as listenWithIo } from "./command.js";

/** Options of `listen()`: the command line's request and reconnection options. */
export interface ListenOptions {
  /** Request headers; a header given as `""` removes a default one (`Cache-Control`). */
  headers?: Record<string, string>;
  /** HTTP method; default GET, or POST when `body` is given. */
  method?: string;
  /** Request body, sent unchanged; JSON text gets `Content-Type: application/json`. */
  body?: string | Uint8Array;
  /** `Last-Event-ID` for the first request. */
  lastEventId?: string;
  /** Reconnection time in ms until the server sends `retry:` (default 3000). */
  retry?: number;
  /** Reconnect when the stream ends or drops (default true); false ends the loop instead. */
  reconnect?: boolean;
  /** Also reconnect a request that is not a GET, re-sending its body. */
  reconnectPost?: boolean;
  /** Give up (throw) after this many reconnects in a row without an event. */
  maxRetries?: number;
  /** Largest line or event in bytes (default 16 MiB); a larger one is an error. */
  maxEventSize?: number;
  /** Ms to connect and to receive the response headers (default 30 000). */
  connectTimeout?: number;
  /** Ms in all; then the loop throws an SseToolError with code "timeout". */
  timeout?: number;
  /** Ms without a byte; then the loop throws an SseToolError with code "timeout". */
  idleTimeout?: number;
  /** Accept any TLS certificate. */
  insecure?: boolean;
  /** Proxy URL; otherwise HTTPS_PROXY / HTTP_PROXY / NO_PROXY from `env`. */
  proxy?: string;
  /** A PEM file of CA certificates trusted besides the system ones. */
  cacert?: string;
  /** Offer HTTP/2 in the TLS handshake. */
  http2?: boolean;
  /** Also write a recording of the connection to this file (as `listen --record`). */
  record?: string;
  /** Aborting it ends the loop, as `break` does. */
  signal?: AbortSignal;
  /** Environment for the proxy variables (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Told each status line the command line would print on stderr (reconnects, the end). */
  onLog?: (line: string) => void;
}

/** One event, as a browser's `MessageEvent` carries it. */
export interface ListenEvent {
  /** The event type (`event:`), "message" when none was given. */
  type: string;
  data: string;
  /** The last event ID at this event (`id:` of this or an earlier event), "" if none. */
  lastEventId: string;
}

/** Events waiting for the caller before the response is read on. */
const maxQueuedEvents = 1000;

/**
 * Follows the stream at `url` and yields its events. The connection opens on the first
 * iteration; the loop ends when the stream ends for good (`reconnect: false`, or 204 No
 * Content), and throws an SseToolError when it fails (the first connection refused, an HTTP
 * error status, a timeout).
 */
export async function* listen(
  url: string,
  options: ListenOptions = {},
): AsyncGenerator<ListenEvent, void, undefined> {
  const queue: ListenEvent[] = [];
  let head = 0;
  let wake: (() => void) | undefined;
  /** The run's pending output write, held while the caller is behind. */
  let heldWrite: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const output = new Writable({
    highWaterMark: 1,
    write(_chunk, _encoding, callback) {
      if (queue.length - head < maxQueuedEvents) callback();
      else heldWrite = callback;
    },
  });
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) stop.abort();

  let finished = false;
  let failure: { error: unknown } | undefined;
  const body = options.body;
  const running = listenWithIo(url, cliOptions(options), {
    stdout: output,
    stderr: logStream(options.onLog),
    stdin: Readable.from(
      body === undefined ? [] : [typeof body === "string" ? Buffer.from(body) : body],
    ),
    env: options.env ?? process.env,
    signal: stop.signal,
    tap: {
      event: (event: StreamEvent) => {
        queue.push({ type: event.type, data: event.data, lastEventId: event.lastEventId });
        notify();
      },
    },
  }).then(
    () => {
      finished = true;
      notify();
    },
    (error: unknown) => {
      failure = { error };
      finished = true;
      notify();
    },
  );

  try {
    for (;;) {
      if (head < queue.length) {
        const event = queue[head++]!;
        if (head > 1024 && head * 2 > queue.length) {
          queue.splice(0, head);
          head = 0;
        }
        if (heldWrite !== undefined && queue.length - head < maxQueuedEvents) {
          const release = heldWrite;
          heldWrite = undefined;
          release();
        }
        yield event;
        continue;
      }
      if (finished || stop.signal.aborted) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    if (failure !== undefined && !stop.signal.aborted) throw failure.error;
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    stop.abort();
    heldWrite?.();
    await running;
  }
}

function cliOptions(options: ListenOptions): ListenCliOptions {
  return {
    ...listenDefaults,
    // The output goes nowhere; --raw is the mode that formats nothing.
    raw: true,
    llm: false,
    color: false,
    header: Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    method: options.method,
    // The body is handed over as stdin, so no text of it is read as `@file`.
    data: options.body === undefined ? undefined : "@-",
    lastEventId: options.lastEventId,
    retry: options.retry ?? listenDefaults.retry,
    reconnect: options.reconnect ?? true,
    reconnectPost: options.reconnectPost,
    maxRetries: options.maxRetries,
    maxEventSize: options.maxEventSize ?? listenDefaults.maxEventSize,
    connectTimeout: options.connectTimeout,
    timeout: options.timeout,
    idleTimeout: options.idleTimeout,
    insecure: options.insecure,
    proxy: options.proxy,
    cacert: options.cacert,
    http2: options.http2,
    record: options.record,
  };
}

/** The run's stderr: lines to `onLog`, or nowhere. */
function logStream(onLog: ((line: string) => void) | undefined): Writable {
  let pending = "";
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (onLog !== undefined) {
        pending += chunk.toString("utf8");
        let newline = pending.indexOf("\n");
        while (newline !== -1) {
          onLog(pending.slice(0, newline));
          pending = pending.slice(newline + 1);
          newline = pending.indexOf("\n");
        }
      }
      callback();
    },
  });
}
