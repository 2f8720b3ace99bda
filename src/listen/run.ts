/**
 * One stream of `listen`, followed as a browser's EventSource follows it: connect, read, and
 * when the stream ends or drops, wait and reconnect with Last-Event-ID, until something stops
 * the run; then the closing line and the exit code (outcome.ts). The pieces: the request
 * (src/http/request.ts), one connection (connection.ts), the body through the decoder
 * (decoding.ts), stdout (output/event-writer.ts), what each event asks beyond being shown
 * (event-verdicts.ts: LLM view, --stats, --expect-*), and the stop switch with the run's timers
 * (stop-switch.ts).
 */
import { SseToolError } from "../errors.js";
import { discardBody } from "../http/client.js";
import { type HttpDispatcher, singleDispatcher } from "../http/dispatcher.js";
import { redactUrl } from "../http/redaction.js";
import { type PreparedRequest, prepareRequest } from "../http/request.js";
import { dispatcherFor } from "../http/request-dispatcher.js";
import { parseTargetUrl } from "../http/target-url.js";
import { ReconnectPolicy } from "../sse/reconnect-policy.js";
import { escapeForTerminalLine } from "../terminal/escape.js";
import { onInterrupt } from "../terminal/interrupts.js";
import { formatDelay } from "../terminal/units.js";
import { defaultConnectTimeoutMs, type ListenCliOptions } from "./cli.js";
import { openConnection } from "./connection.js";
import { type BodyEnd, StreamDecoding } from "./decoding.js";
import { EventVerdicts } from "./event-verdicts.js";
import type { ListenIo } from "./io.js";
import { followOffline } from "./offline/follow.js";
import type { OfflineInput } from "./offline/input.js";
import { closeRun, type RunEnd, runEnd } from "./outcome.js";
import { EventWriter } from "./output/event-writer.js";
import { formatRunSummary } from "./output/run-summary.js";
import { connectionEndReason, refuseReconnect } from "./reconnect-refusal.js";
import { RecordedClock, type RunClock, untimedClock, wallClock } from "./run-clock.js";
import { StopSwitch } from "./stop-switch.js";
import { tellDisconnect } from "./tap.js";

/** Follows one stream; resolves to the exit code or throws an SseToolError. */
export function runListen(url: string, options: ListenCliOptions, io: ListenIo): Promise<number> {
  return new ListenRun(url, options, io).run();
}

/** Reads a captured stream (stdin, a file, a recording) with every view of a live one. */
export function runListenOffline(
  input: OfflineInput,
  options: ListenCliOptions,
  io: ListenIo,
): Promise<number> {
  const clock =
    input.recordingStartedMs === undefined
      ? undefined
      : new RecordedClock(input.recordingStartedMs);
  const runClock = clock ?? (input.arrivalTimed ? wallClock : untimedClock(Date.now()));
  const runIo = { ...io, clock: runClock };
  return new ListenRun(input.name, options, runIo).runOffline(input, clock);
}

class ListenRun {
  readonly #url: string;
  readonly #options: ListenCliOptions;
  readonly #io: ListenIo;
  readonly #clock: RunClock;
  readonly #startedAt: number;
  readonly #connectTimeoutMs: number;
  readonly #stop: StopSwitch;
  readonly #writer: EventWriter;
  /** LLM view, --stats and the --expect-* assertions. */
  readonly #verdicts: EventVerdicts;
  readonly #policy: ReconnectPolicy;
  readonly #decoding: StreamDecoding;
  #connectedOnce = false;
  #reconnects = 0;
  /** The unsendable-Last-Event-ID warning was given. */
  #idWarned = false;

  constructor(url: string, options: ListenCliOptions, io: ListenIo) {
    this.#url = url;
    this.#options = options;
    this.#io = io;
    this.#clock = io.clock ?? wallClock;
    this.#startedAt = this.#clock.now();
    this.#connectTimeoutMs = options.connectTimeout ?? defaultConnectTimeoutMs;
    this.#stop = new StopSwitch({
      timeoutMs: options.timeout,
      idleTimeoutMs: options.idleTimeout,
    });
    this.#writer = new EventWriter(options, io, () => this.#stop.stop("stdout-closed"));
    this.#verdicts = new EventVerdicts(options, io, this.#startedAt, this.#clock);
    this.#policy = new ReconnectPolicy({
      reconnectionTimeMs: options.retry,
      maxRetries: options.maxRetries,
    });
    this.#decoding = new StreamDecoding(options, {
      writer: this.#writer,
      verdicts: this.#verdicts,
      policy: this.#policy,
      stop: this.#stop,
      source: io.source,
      say: this.#say,
      tap: io.tap,
    });
  }

  async run(): Promise<number> {
    const target = parseTargetUrl(this.#url);
    const request = await prepareRequest(target, this.#options, this.#io.stdin);
    const dispatcher = this.#io.dispatcher
      ? singleDispatcher(this.#io.dispatcher)
      : await dispatcherFor(this.#options, this.#io.env, this.#connectTimeoutMs);
    const removeStopHooks = this.#hookStops();
    let failure: { error: unknown } | undefined;
    try {
      await this.#follow(target, request, dispatcher);
    } catch (error) {
      failure = { error };
    } finally {
      this.#stop.dispose();
      removeStopHooks();
      this.#writer.detach();
      await dispatcher.destroy();
    }
    return this.#close(runEnd(this.#stop.reason, failure));
  }

  /** The offline run: the input read through the same decoding, views and closing. */
  async runOffline(input: OfflineInput, clock: RecordedClock | undefined): Promise<number> {
    const removeStopHooks = this.#hookStops();
    this.#connectedOnce = true;
    if (this.#options.maxEvents === 0) this.#stop.stop("max-events");
    let failure: { error: unknown } | undefined;
    try {
      this.#reconnects = await followOffline(input, {
        decoding: this.#decoding,
        verdicts: this.#verdicts,
        stop: this.#stop,
        clock,
        verbose: this.#options.verbose === true,
        include: this.#options.include === true || this.#options.verbose === true,
        say: this.#say,
      });
    } catch (error) {
      failure = { error };
    } finally {
      input.close();
      this.#stop.dispose();
      removeStopHooks();
      this.#writer.detach();
    }
    return this.#close(runEnd(this.#stop.reason, failure));
  }

  /** Connects, reads and reconnects as a browser would, until the run stops (or throws). */
  async #follow(target: URL, request: PreparedRequest, dispatcher: HttpDispatcher): Promise<void> {
    const options = this.#options;
    // Reconnecting re-sends the request. For a POST to an LLM API that is a second, billed
    // generation, not a resume: only GET is re-sent unless --reconnect-post says so.
    const resend =
      options.reconnect && (request.method === "GET" || options.reconnectPost === true);
    for (let isReconnect = false; ; isReconnect = true) {
      const end = await this.#connectAndRead(request, dispatcher, isReconnect);
      tellDisconnect(this.#io.tap, end, this.#stop.reason);
      if (end.kind === "stopped" || this.#stop.reason) return;
      const refusal = refuseReconnect(end, {
        connectedOnce: this.#connectedOnce,
        resend,
        reconnect: options.reconnect,
        method: request.method,
        targetHost: target.host,
      });
      if (refusal === "ended") return this.#stop.stop("ended");
      if (refusal) throw refusal;
      const reason = connectionEndReason(end);
      const decision = this.#policy.next();
      if (!decision.reconnect) {
        throw new SseToolError(
          "connect",
          `${reason}; giving up after ${decision.attemptsWithoutEvent} reconnects without an event (--max-retries)`,
        );
      }
      this.#say(`sse-tool: ${reason}; reconnecting in ${formatDelay(decision.delayMs)}`);
      if (options.verbose) {
        const lastEventId = this.#decoding.lastEventId;
        this.#say(
          lastEventId === ""
            ? "* no Last-Event-ID to send (no id received yet)"
            : `* will send Last-Event-ID: ${escapeForTerminalLine(lastEventId)}`,
        );
      }
      this.#stop.pauseIdleTimer();
      if (!(await this.#stop.wait(decision.delayMs))) return;
      this.#reconnects++;
      this.#verdicts.onReconnect();
    }
  }

  /** One connection: the request, then its body read through the decoder. */
  async #connectAndRead(
    request: PreparedRequest,
    dispatcher: HttpDispatcher,
    isReconnect: boolean,
  ): Promise<BodyEnd> {
    const options = this.#options;
    const lastEventId = this.#decoding.lastEventId;
    const headers = request.headersFor(lastEventId);
    if (lastEventId !== "" && headers["last-event-id"] === undefined && !this.#idWarned) {
      this.#idWarned = true;
      this.#say(
        "sse-tool: warning: the last event ID holds control characters, which no HTTP header can carry; reconnecting without Last-Event-ID",
      );
    }
    this.#stop.armIdleTimer();
    this.#io.tap?.request?.({ url: request.url, method: request.method, headers });
    const connection = await openConnection(
      {
        url: request.url,
        method: request.method,
        headers,
        body: request.body,
        dispatcher,
        userHeaderNames: request.userHeaderNames,
        locationTrusted: options.locationTrusted === true,
      },
      {
        signal: this.#stop.signal,
        connectTimeoutMs: this.#connectTimeoutMs,
        verbose: options.verbose === true,
        include: options.include === true,
        acceptAnyType: options.acceptAnyType === true,
        isReconnect,
        say: this.#say,
        onResponse: (response) => this.#io.tap?.response?.(response),
      },
    );
    if (connection.kind === "server-stop") {
      this.#stop.stop("server-stop");
      return { kind: "stopped" };
    }
    if (connection.kind !== "stream") return connection;
    const response = connection.response;
    this.#connectedOnce = true;
    if (response.contentEncoding !== undefined && options.verbose) {
      this.#say(
        `sse-tool: warning: the response is compressed (Content-Encoding: ${escapeForTerminalLine(response.contentEncoding)}); compression delays events through many proxies`,
      );
    }
    if (options.verbose || this.#io.stdout.isTTY || options.output !== undefined) {
      this.#say(
        isReconnect ? "sse-tool: reconnected" : `sse-tool: connected to ${redactUrl(response.url)}`,
      );
    }
    if (options.maxEvents === 0) {
      discardBody(response.body);
      this.#stop.stop("max-events");
      return { kind: "stopped" };
    }
    return this.#decoding.read(response);
  }

  /** The verdicts' last words, then the closing line and the exit code (outcome.ts). */
  #close(end: RunEnd): number {
    const decoding = this.#decoding;
    const summary = formatRunSummary({
      events: decoding.events,
      shownEvents: decoding.shownEvents,
      bytes: decoding.bytes,
      durationMs: this.#clock.timed ? this.#clock.now() - this.#startedAt : undefined,
      reconnects: this.#reconnects,
    });
    let expectationFailure: SseToolError | undefined;
    if (end.kind === "stopped" && end.reason === "stdout-closed") {
      this.#verdicts.close();
    } else {
      const last = this.#verdicts.finish(end);
      // Events still held while deciding whether this was an LLM stream: shown as they are.
      for (const held of last.released ?? [])
        this.#io.stdout.write(this.#writer.format(held.event, held.atMs) ?? "");
      if (last.stdoutText) this.#io.stdout.write(last.stdoutText);
      expectationFailure = last.failure;
    }
    const problems = decoding.problems.summaryLine();
    if (problems !== undefined) this.#say(problems);
    const closing = closeRun({
      end,
      summary,
      connectedOnce: this.#connectedOnce,
      expectationsGiven: this.#verdicts.expectationsActive,
      expectationFailure,
      writeFailure: this.#writer.failure,
      skippedEvents: decoding.problems.skippedEvents,
      options: this.#options,
    });
    if (closing.stderrLine !== undefined) {
      this.#io.stderr.write(`${escapeForTerminalLine(closing.stderrLine)}\n`);
    }
    if ("error" in closing) throw closing.error;
    return closing.exitCode;
  }

  /**
   * Ctrl-C (or the caller's signal), `-n` reached over all streams, and --timeout stop the run.
   * Returns the function that unhooks them.
   */
  #hookStops(): () => void {
    const removeInterruptHandler = onInterrupt(() => this.#stop.stop("interrupted"), {
      signal: this.#io.signal,
    });
    const allShown = this.#io.source?.allShown;
    const onAllShown = () => this.#stop.stop("max-events");
    if (allShown?.aborted) onAllShown();
    allShown?.addEventListener("abort", onAllShown, { once: true });
    this.#stop.startTimeout();
    return () => {
      removeInterruptHandler();
      allShown?.removeEventListener("abort", onAllShown);
    };
  }

  /**
   * A status line on stderr; nothing once the stdout reader went away. Escaped here, whatever
   * its parts were (escaping escaped text changes nothing): no line reaches the terminal raw.
   */
  readonly #say = (line: string): void => {
    if (this.#stop.reason === "stdout-closed") return;
    this.#io.stderr.write(`${escapeForTerminalLine(line)}\n`);
  };
}
