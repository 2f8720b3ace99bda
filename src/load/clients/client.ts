/**
 * One `load` client: an EventSource as the HTML Standard describes it (§9.2.3), counting events
 * instead of showing them. It connects, judges the response (src/sse/response-verdict.ts),
 * decodes the body with the project's decoder, and reconnects with `Last-Event-ID` after the
 * reconnection time or the server's `retry:` (src/sse/reconnect-policy.ts).
 *
 * Thousands of these live in one process, so a client is one object with a few fields and no
 * closures: the decoder and the transport call its methods, timers get it as an argument. The
 * decoder and the reconnect policy are made when first needed: a stream that has carried only
 * comments and blank lines (heartbeats) leaves a decoder as it found it, so none is needed yet.
 */
import { isSseToolError } from "../../errors.js";
import type { BodyDecompressor } from "../../http/content-decoding.js";
import { describeNetworkError, failureReasonOf } from "../../http/network-error.js";
import { lastEventIdHeaderValue } from "../../http/request-headers.js";
import { HttpProtocolError } from "../../http/transports/http1-response.js";
import type {
  OpenStream,
  ResponseHead,
  StreamRequest,
  StreamSink,
} from "../../http/transports/stream-transport.js";
import {
  type DecodeProblem,
  type DecoderHandlers,
  EventStreamDecoder,
  type StreamEvent,
} from "../../sse/decoder.js";
import { ReconnectPolicy } from "../../sse/reconnect-policy.js";
import { utf8BodyStart } from "../../sse/utf8-body.js";
import { escapeForTerminalLine } from "../../terminal/escape.js";
import { eventFingerprint } from "../accounting/event-fingerprint.js";
import type { DropReason } from "../accounting/metrics.js";
import type { ClientContext } from "./client-context.js";
import { acceptHead, redirectOf } from "./response-head.js";

const State = { idle: 0, connecting: 1, streaming: 2, waiting: 3, done: 4 } as const;
type State = (typeof State)[keyof typeof State];

/** The receive time (performance.now()) of the body chunk being decoded, shared by all clients. */
let chunkAtMs = 0;

export class LoadClient implements StreamSink, DecoderHandlers {
  readonly index: number;
  readonly #context: ClientContext;
  /** Made at the first text that is more than comments and blank lines (see #decode). */
  #decoder: EventStreamDecoder | undefined;
  /** Made at the first event, `retry:` or reconnection. */
  #policy: ReconnectPolicy | undefined;
  #state: State = State.idle;
  #stream: OpenStream | undefined;
  /** The request of the current attempt (the user's, or a redirect's). */
  #request: StreamRequest;
  #redirects = 0;
  /** performance.now() when the current attempt started (first byte and first event count from it). */
  #attemptAtMs = 0;
  /** performance.now() when the current connection (the attempt's, or a redirect's) was opened. */
  #openedAtMs = 0;
  /** A stream was established before: later attempts are reconnects (HTML §9.2.3). */
  #reconnecting = false;
  #attempts = 0;
  #firstAttemptReported = false;
  #sawEvent = false;
  #utf8State = utf8BodyStart;
  #decompressor: BodyDecompressor | undefined;
  #tooLarge = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(index: number, context: ClientContext) {
    this.index = index;
    this.#context = context;
    this.#request = context.request;
  }

  get #reconnectPolicy(): ReconnectPolicy {
    this.#policy ??= new ReconnectPolicy({ reconnectionTimeMs: this.#context.retryMs });
    return this.#policy;
  }

  get streaming(): boolean {
    return this.#state === State.streaming;
  }

  start(): void {
    if (this.#state !== State.idle) return;
    this.#connect();
  }

  /** Ends the client at the end of the run: an open stream stays "connected" in the report. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#state === State.streaming) this.#context.metrics.streamStopped();
    this.#closeStream();
    this.#state = State.done;
  }

  #connect(): void {
    const context = this.#context;
    this.#state = State.connecting;
    this.#request = context.request;
    this.#redirects = 0;
    if (this.#attempts++ > 0) context.metrics.reconnecting(this.index);
    this.#attemptAtMs = performance.now();
    this.#open();
  }

  #open(): void {
    this.#openedAtMs = performance.now();
    const lastEventId = lastEventIdHeaderValue(this.#decoder?.lastEventId ?? "");
    this.#stream = this.#context.transport.open(
      this.#request,
      lastEventId,
      this.#context.sourceAddressFor(this.index),
      this,
    );
  }

  // --- StreamSink: what the transport reports ---

  connected(): void {
    if (this.#state !== State.connecting) return;
    this.#context.metrics.connect.record(performance.now() - this.#openedAtMs);
  }

  head(head: ResponseHead): void {
    if (this.#state !== State.connecting) return;
    const context = this.#context;
    let redirect: ReturnType<typeof redirectOf>;
    try {
      redirect = redirectOf(head, this.#request, context, this.#redirects);
    } catch (error) {
      this.#closeStream();
      this.#attemptFailed(error, false);
      return;
    }
    if (redirect !== undefined) {
      this.#closeStream();
      this.#redirects++;
      this.#request = context.requestFor(
        redirect.url,
        redirect.method,
        redirect.headers,
        redirect.body,
      );
      this.#open();
      return;
    }
    const now = performance.now();
    context.metrics.firstByte.record(now - this.#attemptAtMs);
    const verdict = acceptHead(head, this.#reconnecting);
    if (verdict.kind === "stop") {
      this.#closeStream();
      this.#reportFirstAttempt();
      this.#becomeDone();
      return;
    }
    if (verdict.kind === "failed") {
      this.#closeStream();
      this.#attemptFailed(verdict.error, verdict.mayRetry);
      return;
    }
    const decompressors = verdict.decompressors;
    this.#state = State.streaming;
    this.#reconnecting = true;
    this.#sawEvent = false;
    this.#tooLarge = false;
    this.#utf8State = utf8BodyStart;
    this.#decoder?.startStream();
    if (decompressors.length > 0) this.#pipeDecompressors(decompressors);
    context.metrics.streamOpened(this.index);
    context.accounting.streamOpened(this.index, now);
    this.#reportFirstAttempt();
  }

  body(bytes: Uint8Array, start: number, end: number): void {
    if (this.#state !== State.streaming) return;
    this.#context.metrics.bytes += end - start;
    if (this.#decompressor !== undefined) {
      // The decompressor keeps the bytes past this call; the transport's buffer is reused.
      this.#decompressor.write(Buffer.from(bytes.subarray(start, end)));
      return;
    }
    this.#decode(bytes, start, end);
  }

  end(complete: boolean): void {
    if (this.#state === State.streaming) this.#dropped(complete ? "ended" : "closed");
    else if (this.#state === State.connecting) {
      const error = Object.assign(new Error("the connection ended before the response"), {
        code: "ECONNRESET",
      });
      this.#attemptFailed(error, true);
    }
  }

  failed(error: unknown): void {
    this.#stream = undefined;
    if (this.#state === State.streaming) {
      this.#dropped(error instanceof HttpProtocolError ? "protocol" : "reset");
    } else if (this.#state === State.connecting) {
      // A network error re-establishes the connection, as a browser does (§9.2.3).
      this.#attemptFailed(error, true);
    }
  }

  // --- DecoderHandlers: what the decoder finds in the body ---

  onEvent(event: StreamEvent): void {
    const context = this.#context;
    if (context.events++ === 0) context.firstEventAtMs = chunkAtMs;
    context.lastEventAtMs = chunkAtMs;
    if (!this.#sawEvent) {
      this.#sawEvent = true;
      context.metrics.firstEvent.record(chunkAtMs - this.#attemptAtMs);
    }
    // A policy not made yet has had no attempt without an event: nothing to start over.
    this.#policy?.eventReceived();
    const fingerprint = eventFingerprint(event.type, event.data);
    context.accounting.event(this.index, event.lastEventId, fingerprint, chunkAtMs);
    context.latency?.record(
      event,
      fingerprint,
      performance.timeOrigin + chunkAtMs,
      context.metrics,
    );
  }

  onRetry(ms: number): void {
    this.#reconnectPolicy.setServerRetry(ms);
  }

  onProblem(problem: DecodeProblem): void {
    if (problem.type === "event-too-large") this.#tooLarge = true;
  }

  // --- internals ---

  #decode(bytes: Uint8Array, start: number, end: number): void {
    const utf8 = this.#context.utf8;
    const text = utf8.decode(this.#utf8State, bytes, start, end);
    this.#utf8State = utf8.state;
    chunkAtMs = performance.now();
    if (this.#decoder === undefined) {
      if (leavesDecoderUnchanged(text, this.#context.maxEventSize)) return;
      this.#decoder = new EventStreamDecoder(this, { maxEventSize: this.#context.maxEventSize });
    }
    this.#decoder.feedText(text);
    if (this.#tooLarge && this.#state === State.streaming) this.#dropped("too-large");
  }

  #pipeDecompressors(decompressors: BodyDecompressor[]): void {
    for (let index = 0; index + 1 < decompressors.length; index++) {
      decompressors[index]!.pipe(decompressors[index + 1]!);
    }
    const last = decompressors[decompressors.length - 1]!;
    last.on("data", (chunk: Buffer) => {
      if (this.#decompressor === decompressors[0]) this.#decode(chunk, 0, chunk.length);
    });
    for (const decompressor of decompressors) {
      decompressor.on("error", (error: Error) => {
        if (this.#decompressor !== decompressors[0] || error === undefined) return;
        this.#dropped("protocol");
      });
    }
    this.#decompressor = decompressors[0];
  }

  #dropped(reason: DropReason): void {
    const context = this.#context;
    this.#closeStream();
    this.#decoder?.endStream();
    context.metrics.streamDropped(reason);
    context.accounting.streamClosed(this.index, performance.now());
    if (context.stopping) {
      this.#state = State.done;
      return;
    }
    if (!context.reconnect) {
      this.#becomeDone();
      return;
    }
    this.#scheduleReconnect();
  }

  #attemptFailed(error: unknown, mayRetry: boolean): void {
    const context = this.#context;
    const message = isSseToolError(error)
      ? error.message
      : describeNetworkError(error, undefined, "load");
    // The message may quote the server (status text, Content-Type): made safe once, here.
    context.metrics.attemptFailed(
      this.index,
      failureReasonOf(error),
      escapeForTerminalLine(message.slice(0, 300)),
    );
    this.#reportFirstAttempt();
    if (context.stopping) {
      this.#state = State.done;
      return;
    }
    // Before any stream, a network failure is retried too: the spec's EventSource does, and a
    // server still starting or briefly overloaded is what a load test meets.
    if (mayRetry && context.reconnect) this.#scheduleReconnect();
    else this.#becomeDone();
  }

  #scheduleReconnect(): void {
    const decision = this.#reconnectPolicy.next();
    if (!decision.reconnect) {
      this.#becomeDone();
      return;
    }
    this.#state = State.waiting;
    this.#timer = setTimeout(reconnectClient, decision.delayMs, this);
  }

  /** Called by the reconnect timer. */
  reconnectNow(): void {
    this.#timer = undefined;
    if (this.#state !== State.waiting || this.#context.stopping) return;
    this.#connect();
  }

  #reportFirstAttempt(): void {
    if (this.#firstAttemptReported) return;
    this.#firstAttemptReported = true;
    this.#context.firstAttemptDone(this.index);
  }

  #becomeDone(): void {
    if (this.#state === State.done) return;
    this.#state = State.done;
    this.#context.clientDone(this.index);
  }

  #closeStream(): void {
    const stream = this.#stream;
    this.#stream = undefined;
    stream?.close();
    if (this.#decompressor !== undefined) {
      const decompressor = this.#decompressor;
      this.#decompressor = undefined;
      decompressor.destroy();
    }
  }
}

/**
 * True when `text`, fed to a decoder that holds nothing (no unfinished line, no pending data, no
 * CR waiting for its LF), would leave it so and dispatch nothing (§9.2.6): whole lines only
 * (ending in LF, no CR anywhere), each blank or a comment, and short enough that no bound on
 * the event size can be reached. Linear, no allocation.
 */
export function leavesDecoderUnchanged(text: string, maxEventSize: number): boolean {
  const length = text.length;
  if (length === 0) return true;
  if (length > maxEventSize || text.charCodeAt(length - 1) !== LF) return false;
  let lineStart = true;
  for (let at = 0; at < length; at++) {
    const code = text.charCodeAt(at);
    if (code === CR) return false;
    if (lineStart && code !== LF && code !== COLON) return false;
    lineStart = code === LF;
  }
  return true;
}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;

function reconnectClient(client: LoadClient): void {
  client.reconnectNow();
}
