/**
 * `sse-tool listen URL`: connects, decodes the stream with the WHATWG decoder, shows each event,
 * and reconnects as a browser would. Effects live here and in src/http; decoding, reconnection
 * timing and formatting are pure modules this file wires together.
 */
import type { Readable, Writable } from "node:stream";
import { Chalk, supportsColor } from "chalk";
import type { Dispatcher } from "undici";
import { ExitCode, SseToolError } from "../errors.js";
import { readCaCertificateFile } from "../http/ca-certificate-file.js";
import {
  createDispatcher,
  discardBody,
  type HttpResponse,
  headerValue,
  openRequest,
  readBodyStart,
} from "../http/client.js";
import { describeNetworkError } from "../http/network-error.js";
import { bodyIsJsonText, readRequestBody } from "../http/request-body.js";
import { parseTargetUrl } from "../http/target-url.js";
import { EventStreamDecoder, type StreamEvent } from "../sse/decoder.js";
import { ReconnectPolicy } from "../sse/reconnect-policy.js";
import { buildRequestHeaders, parseHeaderOptions } from "../sse/request-headers.js";
import { judgeResponse } from "../sse/response-verdict.js";
import { type ColorLevel, decideColorLevel } from "../terminal/color-level.js";
import { escapeForTerminalLine } from "../terminal/escape.js";
import { onInterrupt } from "../terminal/interrupts.js";
import { type ListenEnd, ListenExtras } from "./extras.js";
import { describeBodyStart, formatDelay, redactHeader } from "./output/diagnostic-text.js";
import { formatJsonComment, formatJsonLine } from "./output/json-lines.js";
import { formatClockTime, PrettyEventFormatter } from "./output/pretty.js";
import { formatBytes, formatRunSummary } from "./output/run-summary.js";
import { StdoutSink } from "./output/stdout-sink.js";
import { listenMany, maxEventsReachedReason, type StreamSource } from "./several-urls.js";

export interface ListenCliOptions {
  header?: string[];
  method?: string;
  data?: string;
  insecure?: boolean;
  proxy?: string;
  json?: boolean;
  raw?: boolean;
  comments?: boolean;
  event?: string[];
  maxEvents?: number;
  timeout?: number;
  idleTimeout?: number;
  /** Milliseconds allowed for connecting and for the response headers (default 30 000). */
  connectTimeout?: number;
  retry: number;
  lastEventId?: string;
  reconnect: boolean;
  /** Reconnect also when the request is not a plain GET (re-sending its body). */
  reconnectPost?: boolean;
  maxRetries?: number;
  maxEventSize: number;
  color: boolean;
  verbose?: boolean;
  /** --llm (true), --no-llm (false), or chosen from the first event (undefined). */
  llm?: boolean;
  /** --stats: counts, rate, bytes and gaps on stderr. */
  stats?: boolean;
  /** --expect-event (repeatable): each type must arrive, or exit 4. */
  expectEvent?: string[];
  /** --expect-count: at least this many shown events, or exit 4. */
  expectCount?: number;
  /** --until-event: stop after the first event of this type (exit 0); not seen is exit 4. */
  untilEvent?: string;
  /** --http2: offer HTTP/2 in the TLS handshake (undici's allowH2). */
  http2?: boolean;
  /** --cacert: a PEM file of CA certificates trusted in addition to the system's. */
  cacert?: string;
}

/** The options `sse-tool listen URL` runs with when no flag is given (for in-process callers). */
export const listenDefaults: ListenCliOptions = {
  retry: 3000,
  reconnect: true,
  maxEventSize: 16 * 1024 ** 2,
  color: true,
};

/** Where `listen` reads and writes; the process's own streams unless a caller hands in others. */
export interface ListenIo {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  /** Read only for `-d @-`; the process's stdin when not given. */
  stdin?: Readable;
  env: Record<string, string | undefined>;
  /** Aborting it stops the run like Ctrl-C (exit 130). Without it, SIGINT is handled here. */
  signal?: AbortSignal;
  /** HTTP dispatcher to use instead of one built from --proxy/--insecure (tests). */
  dispatcher?: Dispatcher;
  /** Set when this run is one of several streams (src/listen/several-urls.ts). */
  source?: StreamSource;
}

const defaultConnectTimeoutMs = 30_000;
const maxRedirects = 10;
/** How much of a failed response's body is shown: enough for an API's JSON error. */
const errorBodyPreviewBytes = 1024;

type StopReason =
  | "ended"
  | "server-stop"
  | "max-events"
  | "interrupted"
  | "timeout"
  | "idle-timeout"
  | "stdout-closed"
  /** The LLM stream's end marker arrived. */
  | "llm-end"
  /** --until-event arrived, or every expectation holds. */
  | "expectations";

type ConnectionOutcome =
  | { kind: "stopped" }
  | { kind: "ended" }
  | { kind: "network-error"; reason: string }
  | { kind: "retry-later"; reason: string };

/** One URL, or several followed at once (src/listen/several-urls.ts). */
export async function listen(
  urls: string | readonly string[],
  options: ListenCliOptions,
  io: ListenIo = processIo(),
): Promise<number> {
  const all = typeof urls === "string" ? [urls] : urls;
  const merged = { ...listenDefaults, ...options };
  if (all.length > 1) {
    return listenMany(all, merged, io, (url, streamOptions, streamIo) =>
      new ListenRun(url, streamOptions, streamIo).run(),
    );
  }
  return new ListenRun(all[0]!, merged, io).run();
}

function processIo(): ListenIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

class ListenRun {
  readonly #url: string;
  readonly #options: ListenCliOptions;
  readonly #io: ListenIo;
  readonly #startedAt = Date.now();
  readonly #stopController = new AbortController();
  readonly #sink: StdoutSink;
  readonly #decoder: EventStreamDecoder;
  readonly #policy: ReconnectPolicy;
  readonly #eventFilter: Set<string> | undefined;
  readonly #connectTimeoutMs: number;
  /** LLM view, --stats and the --expect-* assertions (src/listen/extras.ts). */
  readonly #extras: ListenExtras;
  #formatter: PrettyEventFormatter | undefined;
  #stopReason: StopReason | undefined;
  #tooLarge = false;
  #connectedOnce = false;
  /** Whether an ended or dropped stream is re-requested (see run()). */
  #reconnect = true;
  #reconnectRefusal = "--no-reconnect";
  /** The unsendable-Last-Event-ID warning was given. */
  #idWarned = false;
  #events = 0;
  #shownEvents = 0;
  #bytes = 0;
  #reconnects = 0;
  /** Receive time of the chunk being decoded, formatted once per chunk. */
  #chunkTime: string | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #totalTimer: NodeJS.Timeout | undefined;

  constructor(url: string, options: ListenCliOptions, io: ListenIo) {
    this.#url = url;
    this.#options = options;
    this.#io = io;
    this.#sink = new StdoutSink(io.stdout, () => this.#stop("stdout-closed"));
    this.#extras = new ListenExtras(options, io, this.#startedAt);
    this.#eventFilter = options.event ? new Set(options.event) : undefined;
    this.#connectTimeoutMs = options.connectTimeout ?? defaultConnectTimeoutMs;
    this.#policy = new ReconnectPolicy({
      reconnectionTimeMs: options.retry,
      maxRetries: options.maxRetries,
    });
    this.#decoder = new EventStreamDecoder(
      {
        onEvent: this.#onEvent,
        onRetry: (ms) => {
          const before = this.#policy.reconnectionTimeMs;
          const inEffect = this.#policy.setServerRetry(ms);
          // Servers often repeat retry: with every event; say it only when it changes.
          if (this.#options.verbose && inEffect !== before) {
            this.#info(
              inEffect === ms
                ? `* server set the reconnection time to ${ms} ms`
                : `* server asked for retry: ${ms} ms; capped at ${inEffect} ms`,
            );
          }
        },
        onComment: options.comments && !options.raw ? this.#onComment : undefined,
        onProblem: (problem) => {
          if (problem.type === "event-too-large") this.#tooLarge = true;
        },
      },
      { maxEventSize: options.maxEventSize, lastEventId: options.lastEventId ?? "" },
    );
  }

  async run(): Promise<number> {
    const options = this.#options;
    if (options.raw && (options.json || options.event || options.comments)) {
      throw new SseToolError(
        "usage",
        "--raw writes the body unchanged; it cannot be combined with --json, --event or --comments",
      );
    }
    const target = parseTargetUrl(this.#url);
    const userHeaders = parseHeaderOptions(options.header ?? []);
    const body =
      options.data === undefined
        ? undefined
        : await readRequestBody(options.data, this.#io.stdin ?? process.stdin);
    const method = options.method?.toUpperCase() ?? (body ? "POST" : "GET");
    const bodyIsJson = body !== undefined && bodyIsJsonText(body);
    if (!options.raw && !options.json) this.#formatter = this.#createPrettyFormatter();

    // Reconnecting re-sends the request. For a POST to an LLM API that is a second, billed
    // generation, not a resume: only GET is re-sent unless --reconnect-post says so.
    this.#reconnect = options.reconnect && (method === "GET" || options.reconnectPost === true);
    this.#reconnectRefusal =
      options.reconnect && !this.#reconnect
        ? `${method} is not re-sent; --reconnect-post re-sends it`
        : "--no-reconnect";
    const dispatcher =
      this.#io.dispatcher ??
      createDispatcher({
        insecure: options.insecure,
        http2: options.http2,
        extraCaPem:
          options.cacert === undefined ? undefined : await readCaCertificateFile(options.cacert),
        proxy: options.proxy,
        env: this.#io.env,
        connectTimeoutMs: this.#connectTimeoutMs,
      });
    const removeInterruptHandler = this.#handleInterrupts();
    if (options.timeout !== undefined) {
      this.#totalTimer = setTimeout(() => this.#stop("timeout"), options.timeout);
    }
    let failure: unknown;
    try {
      await this.#connectLoop(target, (lastEventId) => ({
        url: target.href,
        method,
        headers: buildRequestHeaders({
          userHeaders,
          lastEventId,
          hasBody: body !== undefined,
          bodyIsJson,
        }),
        body,
        dispatcher,
      }));
    } catch (error) {
      failure = error;
    } finally {
      clearTimeout(this.#totalTimer);
      clearTimeout(this.#idleTimer);
      removeInterruptHandler();
      this.#sink.detach();
      if (!this.#io.dispatcher) await dispatcher.destroy().catch(() => {});
    }
    return this.#finish(failure);
  }

  /** Writes the closing line and decides the exit code. */
  #finish(failure: unknown): number {
    // The reader went away (`| head`): it has what it wanted; say nothing.
    if (this.#stopReason === "stdout-closed") {
      this.#extras.close();
      if (this.#sink.failure) {
        throw new SseToolError("connect", `cannot write output: ${this.#sink.failure.message}`);
      }
      return ExitCode.ok;
    }
    const summary = formatRunSummary({
      events: this.#events,
      shownEvents: this.#shownEvents,
      bytes: this.#bytes,
      durationMs: Date.now() - this.#startedAt,
      reconnects: this.#reconnects,
    });
    const extras = this.#extras.finish(failure === undefined ? this.#listenEnd() : "failed");
    if (extras.stdoutText) this.#io.stdout.write(extras.stdoutText);
    if (failure !== undefined) {
      // A failure before any stream was read is one line (the error); after, the totals too.
      if (this.#connectedOnce) this.#info(`sse-tool: ${summary}`);
      throw failure;
    }
    if (extras.failure) {
      this.#info(`sse-tool: ${summary}`);
      throw extras.failure;
    }
    // Expectations that hold decide: a timeout is then a normal end (exit 0).
    const expectationsHeld = this.#extras.expectationsActive;
    switch (this.#stopReason) {
      case "interrupted":
        this.#info(`sse-tool: interrupted: ${summary}`);
        return ExitCode.interrupted;
      case "timeout":
        this.#info(`sse-tool: ${summary}`);
        if (expectationsHeld) return ExitCode.ok;
        throw new SseToolError(
          "timeout",
          `timeout: --timeout ${(this.#options.timeout ?? 0) / 1000} s elapsed`,
        );
      case "idle-timeout":
        this.#info(`sse-tool: ${summary}`);
        if (expectationsHeld) return ExitCode.ok;
        throw new SseToolError(
          "timeout",
          `idle timeout: no data for ${(this.#options.idleTimeout ?? 0) / 1000} s`,
        );
      case "max-events":
        this.#info(`sse-tool: done (-n ${this.#options.maxEvents}): ${summary}`);
        return ExitCode.ok;
      case "llm-end":
        this.#info(`sse-tool: end of the LLM reply: ${summary}`);
        return ExitCode.ok;
      case "expectations":
        this.#info(
          this.#options.untilEvent === undefined
            ? `sse-tool: expectations met: ${summary}`
            : `sse-tool: done (--until-event ${escapeForTerminalLine(this.#options.untilEvent)}): ${summary}`,
        );
        return ExitCode.ok;
      case "server-stop":
        this.#info(`sse-tool: server answered 204 No Content (stop): ${summary}`);
        return ExitCode.ok;
      default:
        this.#info(`sse-tool: stream ended: ${summary}`);
        return ExitCode.ok;
    }
  }

  /** Why the run stopped, in the terms the expectations are judged by. */
  #listenEnd(): ListenEnd {
    switch (this.#stopReason) {
      case "interrupted":
        return "interrupted";
      case "timeout":
      case "idle-timeout":
        return "timeout";
      case "max-events":
        return "max-events";
      case "expectations":
        return this.#options.untilEvent === undefined ? "met" : "until-event";
      default:
        return "ended";
    }
  }

  async #connectLoop(
    target: URL,
    requestFor: (
      lastEventId: string,
    ) => Omit<Parameters<typeof openRequest>[0], "signal" | "headersTimeoutMs" | "maxRedirects">,
  ): Promise<void> {
    for (let isReconnect = false; ; isReconnect = true) {
      const outcome = await this.#connectOnce(requestFor(this.#decoder.lastEventId), isReconnect);
      if (outcome.kind === "stopped" || this.#stopReason) return;
      if (outcome.kind === "ended" && !this.#reconnect) {
        this.#stopReason = "ended";
        return;
      }
      const reason = outcome.kind === "ended" ? "stream ended" : outcome.reason;
      if (!this.#connectedOnce) {
        // A dead port or a typo in the host: say so at once rather than retrying in silence.
        // Once a stream has been read, failures are retried as a browser would.
        throw new SseToolError("connect", `cannot connect to ${target.host}: ${reason}`);
      }
      if (!this.#reconnect) {
        throw new SseToolError("connect", `connection lost: ${reason} (${this.#reconnectRefusal})`);
      }
      const decision = this.#policy.next();
      if (!decision.reconnect) {
        throw new SseToolError(
          "connect",
          `${reason}; giving up after ${decision.attemptsWithoutEvent} reconnects without an event (--max-retries)`,
        );
      }
      const lastEventId = this.#decoder.lastEventId;
      this.#info(`sse-tool: ${reason}; reconnecting in ${formatDelay(decision.delayMs)}`);
      if (this.#options.verbose) {
        this.#info(
          lastEventId === ""
            ? "* no Last-Event-ID to send (no id received yet)"
            : `* will send Last-Event-ID: ${escapeForTerminalLine(lastEventId)}`,
        );
      }
      clearTimeout(this.#idleTimer);
      if (!(await this.#wait(decision.delayMs))) return;
      this.#reconnects++;
      this.#extras.onReconnect();
    }
  }

  async #connectOnce(
    request: Omit<
      Parameters<typeof openRequest>[0],
      "signal" | "headersTimeoutMs" | "maxRedirects"
    >,
    isReconnect: boolean,
  ): Promise<ConnectionOutcome> {
    const verbose = this.#options.verbose;
    const lastEventId = this.#decoder.lastEventId;
    if (lastEventId !== "" && request.headers["last-event-id"] === undefined && !this.#idWarned) {
      this.#idWarned = true;
      this.#info(
        "sse-tool: warning: the last event ID holds control characters, which no HTTP header can carry; reconnecting without Last-Event-ID",
      );
    }
    if (verbose) {
      this.#info(`> ${request.method} ${request.url}`);
      for (const [name, value] of Object.entries(request.headers)) {
        this.#info(`> ${name}: ${redactHeader(name, value)}`);
      }
    }
    this.#armIdleTimer();
    let response: HttpResponse;
    try {
      response = await openRequest({
        ...request,
        signal: this.#stopController.signal,
        headersTimeoutMs: this.#connectTimeoutMs,
        maxRedirects,
        onRedirect: verbose
          ? (status, location) => this.#info(`* ${status} redirect to ${location}`)
          : undefined,
      });
    } catch (error) {
      if (this.#stopReason) return { kind: "stopped" };
      if (error instanceof SseToolError) throw error;
      return { kind: "network-error", reason: describeNetworkError(error, this.#connectTimeoutMs) };
    }
    const statusLine = `${response.status} ${escapeForTerminalLine(response.statusText)}`.trim();
    const contentType = headerValue(response.headers, "content-type");
    if (verbose) {
      const version = response.httpVersion === undefined ? "" : `/${response.httpVersion}`;
      this.#info(`< HTTP${version} ${statusLine}`);
      for (const [name, value] of Object.entries(response.headers)) {
        for (const item of Array.isArray(value) ? value : [value ?? ""]) {
          this.#info(`< ${escapeForTerminalLine(name)}: ${escapeForTerminalLine(item)}`);
        }
      }
    }
    const verdict = judgeResponse(response.status, contentType, isReconnect);
    if (verdict.kind !== "stream") {
      if (verdict.kind === "stop") {
        discardBody(response.body);
        this.#stopReason = "server-stop";
        return { kind: "stopped" };
      }
      if (verdict.kind === "retry-later") {
        discardBody(response.body);
        return { kind: "retry-later", reason: `HTTP ${statusLine}` };
      }
      const preview = describeBodyStart(
        (await readBodyStart(response.body, errorBodyPreviewBytes)).toString("utf8"),
      );
      const message =
        verdict.reason === "http-status"
          ? `HTTP ${statusLine} from ${response.url}`
          : `expected Content-Type text/event-stream, got ${contentType === undefined ? "none" : escapeForTerminalLine(contentType)} (HTTP ${statusLine})`;
      throw new SseToolError(verdict.reason, preview === "" ? message : `${message}: ${preview}`);
    }

    this.#connectedOnce = true;
    if (response.contentEncoding !== undefined && verbose) {
      this.#info(
        `sse-tool: warning: the response is compressed (Content-Encoding: ${escapeForTerminalLine(response.contentEncoding)}); compression delays events through many proxies`,
      );
    }
    if (verbose || this.#io.stdout.isTTY) {
      this.#info(isReconnect ? "sse-tool: reconnected" : `sse-tool: connected to ${response.url}`);
    }
    if (this.#options.maxEvents === 0) {
      discardBody(response.body);
      this.#stopReason = "max-events";
      return { kind: "stopped" };
    }
    return this.#readBody(response);
  }

  async #readBody(response: HttpResponse): Promise<ConnectionOutcome> {
    const decoder = this.#decoder;
    const sink = this.#sink;
    const raw = this.#options.raw === true;
    const stopSignal = this.#stopController.signal;
    const destroyOnStop = () => discardBody(response.body);
    stopSignal.addEventListener("abort", destroyOnStop);
    decoder.startStream();
    try {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        this.#idleTimer?.refresh();
        this.#bytes += chunk.length;
        this.#extras.onBytes(chunk.length);
        this.#chunkTime = undefined;
        if (raw) sink.pushBytes(chunk);
        decoder.feed(chunk);
        if (sink.hasPending) await sink.flush(stopSignal);
        if (this.#stopReason || this.#tooLarge) break;
      }
    } catch (error) {
      if (this.#stopReason) return { kind: "stopped" };
      // §9.2.6: an unfinished block at the end of a body is discarded, never shown.
      decoder.endStream();
      return { kind: "network-error", reason: describeNetworkError(error) };
    } finally {
      stopSignal.removeEventListener("abort", destroyOnStop);
      discardBody(response.body);
    }
    if (this.#tooLarge) {
      await sink.flush(stopSignal);
      throw new SseToolError(
        "too-large",
        `an event or line is larger than --max-event-size (${formatBytes(this.#options.maxEventSize)})`,
      );
    }
    if (this.#stopReason) return { kind: "stopped" };
    decoder.endStream();
    return { kind: "ended" };
  }

  readonly #onEvent = (event: StreamEvent): void => {
    if (this.#stopReason) return;
    this.#events++;
    this.#policy.eventReceived();
    const shown = !this.#eventFilter || this.#eventFilter.has(event.type);
    // The LLM view, stats and expectations see every event; the LLM view may consume it.
    const extra = this.#extras.onEvent(event, shown);
    if (extra.stdoutText) this.#sink.pushText(extra.stdoutText);
    if (shown) {
      this.#shownEvents++;
      if (!extra.show) {
        // Shown by the LLM view.
      } else if (this.#formatter) {
        this.#sink.pushText(this.#formatter.formatEvent(event, this.#clockTime()));
      } else if (this.#options.json) {
        this.#sink.pushText(formatJsonLine(event, this.#isoTime(), this.#io.source?.url));
      }
    }
    if (extra.stop) this.#stop(extra.stop);
    const maxEvents = this.#options.maxEvents;
    // With several streams -n counts over all of them (listen-many stops the others).
    const shownSoFar = shown ? (this.#io.source?.countShownEvent() ?? this.#shownEvents) : 0;
    if (shown && maxEvents !== undefined && shownSoFar >= maxEvents) {
      this.#stop("max-events");
    }
  };

  readonly #onComment = (text: string): void => {
    if (this.#stopReason) return;
    if (this.#formatter)
      this.#sink.pushText(this.#formatter.formatComment(text, this.#clockTime()));
    else this.#sink.pushText(formatJsonComment(text, this.#isoTime(), this.#io.source?.url));
  };

  #clockTime(): string {
    this.#chunkTime ??= formatClockTime(new Date());
    return this.#chunkTime;
  }

  #isoTime(): string {
    this.#chunkTime ??= new Date().toISOString();
    return this.#chunkTime;
  }

  #createPrettyFormatter(): PrettyEventFormatter {
    const level = decideColorLevel({
      colorFlag: this.#options.color,
      env: this.#io.env,
      isTTY: this.#io.stdout.isTTY === true,
      terminalLevel: supportsColor ? (supportsColor.level as ColorLevel) : undefined,
    });
    const columns = (this.#io.stdout as { columns?: number }).columns;
    return new PrettyEventFormatter({
      chalk: new Chalk({ level }),
      width: columns ?? 100,
      sourceLabel: this.#io.source?.label,
      sourceLabelWidth: this.#io.source?.labelWidth,
    });
  }

  #armIdleTimer(): void {
    const idleMs = this.#options.idleTimeout;
    if (idleMs === undefined) return;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => this.#stop("idle-timeout"), idleMs);
  }

  /** Waits `ms`; false when the run was stopped meanwhile. */
  #wait(ms: number): Promise<boolean> {
    const signal = this.#stopController.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      }, ms);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  #stop(reason: StopReason): void {
    if (this.#stopReason) return;
    this.#stopReason = reason;
    this.#stopController.abort();
  }

  #handleInterrupts(): () => void {
    // listen-many aborts every stream's signal this way once -n is reached over all of them.
    return onInterrupt(this.#io.signal, (reason) =>
      this.#stop(reason === maxEventsReachedReason ? "max-events" : "interrupted"),
    );
  }

  /** A status line on stderr; nothing once the stdout reader went away. */
  #info(line: string): void {
    if (this.#stopReason === "stdout-closed") return;
    this.#io.stderr.write(`${line}\n`);
  }
}
