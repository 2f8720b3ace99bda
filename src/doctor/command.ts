/**
 * `sse-tool doctor URL`: watches an endpoint for a few seconds and reports, check by check,
 * what will go wrong for browsers and proxies (headers, buffering, heartbeats, resumption).
 */
import { offlineSource } from "../cli/capture-argument.js";
import { type CommandIo, processIo } from "../cli/command-io.js";
import { ExitCode, SseToolError } from "../errors.js";
import type { HttpResponse } from "../http/client.js";
import { requestHeadLines, responseHeadLines } from "../http/exchange-lines.js";
import { redactHeaderValue } from "../http/redaction.js";
import { prepareRequest } from "../http/request.js";
import { dispatcherFor } from "../http/request-dispatcher.js";
import { parseTargetUrl } from "../http/target-url.js";
import { escapeForTerminalLine } from "../terminal/escape.js";
import { onInterrupt } from "../terminal/interrupts.js";
import type { WatchProgress } from "./body-watch.js";
import { doctorFailed, runDoctorChecks } from "./checklist.js";
import { type DoctorCliOptions, defaultConnectTimeoutMs } from "./cli.js";
import { compareWatches } from "./compare.js";
import { longWatchProgress } from "./long-watch-progress.js";
import type { DoctorObservation } from "./observation.js";
import { runDoctorProbe } from "./probe.js";
import { writeDoctorHtml } from "./report/report-file.js";
import { WatchTimeline } from "./report/watch-timeline.js";
import { buildDoctorReport } from "./report.js";
import { writeDoctorReport } from "./write-report.js";

export async function doctor(
  url: string,
  options: DoctorCliOptions,
  io: CommandIo = processIo(),
): Promise<number> {
  // A recording (`listen --record`): the checks that need no live server (doctor/offline/).
  const recording = offlineSource(url);
  if (recording !== undefined) {
    if (recording.kind === "stdin")
      throw new SseToolError("usage", "doctor reads a recording file, not stdin");
    return (await import("./offline/command.js")).doctorRecording(recording.path, options, io);
  }
  const target = parseTargetUrl(url);
  // An origin is a scheme and a host in printable ASCII (IDNs in punycode): no control
  // character can reach the request or the report through it.
  if (options.origin !== undefined && !/^https?:\/\/[\x21-\x2e\x30-\x7e]+$/.test(options.origin)) {
    throw new SseToolError("usage", `--origin must look like https://app.example.com`);
  }
  if (options.duration <= 0) throw new SseToolError("usage", "--duration must be above 0");
  const request = await prepareRequest(target, options, io.stdin);
  const headers = request.headersFor("");
  // Ask for compression as a browser does, so a compressing server or proxy shows itself.
  headers["accept-encoding"] ??= "gzip, deflate, br";

  // Nothing waits longer than the watch itself: doctor keeps to --duration.
  const connectTimeoutMs = options.connectTimeout ?? defaultConnectTimeoutMs;
  const boundedConnectMs = Math.min(connectTimeoutMs, options.duration);
  const dispatcher = await dispatcherFor(options, io.env, boundedConnectMs);
  const usesProxy = dispatcher.proxyFor(target) !== undefined;
  // -v lines would be overwritten by the live progress line: one or the other.
  const progress =
    io.stderr.isTTY && !options.verbose
      ? (stage: string) =>
          io.stderr.write(`\r\x1b[2Ksse-tool doctor: ${escapeForTerminalLine(stage)}…`)
      : undefined;
  const say = (line: string) => io.stderr.write(`${escapeForTerminalLine(line)}\n`);
  // Ctrl-C ends the watch; the report of what was seen so far is still printed (exit 130).
  const interrupt = new AbortController();
  const removeInterruptHandler = onInterrupt(() => interrupt.abort(), { signal: io.signal });
  const watchProgress = longWatchProgress(options.duration, progress, say);
  const compareRequest =
    options.compare === undefined
      ? undefined
      : await prepareRequest(parseTargetUrl(options.compare), options);
  const timeline = options.report === undefined ? undefined : new WatchTimeline(Date.now());
  timeline?.mark("request", Date.now());
  let observation: DoctorObservation;
  let compared: DoctorObservation | undefined;
  const probe = (
    url: string,
    onWatchProgress?: (p: WatchProgress) => void,
    watchTimeline?: WatchTimeline,
  ) =>
    runDoctorProbe({
      url,
      method: request.method,
      headers,
      body: request.body,
      userHeaderNames: request.userHeaderNames,
      locationTrusted: options.locationTrusted === true,
      dispatcher,
      durationMs: options.duration,
      origin: options.origin,
      connectTimeoutMs,
      probeAlpn: !usesProxy,
      insecure: options.insecure,
      onProgress: compareRequest === undefined ? progress : undefined,
      onWatchProgress,
      signal: interrupt.signal,
      timeline: watchTimeline,
      ...(options.verbose
        ? {
            onRequest: (sent: Record<string, string>) => {
              for (const line of requestHeadLines(request.method, url, sent, redactHeaderValue))
                say(line);
            },
            onResponse: (response: HttpResponse) => {
              for (const line of responseHeadLines(response)) say(line);
            },
          }
        : {}),
    });
  try {
    [observation, compared] = await Promise.all([
      probe(request.url, watchProgress, timeline),
      compareRequest && probe(compareRequest.url),
    ]);
  } finally {
    removeInterruptHandler();
    if (progress) io.stderr.write("\r\x1b[2K");
    await dispatcher.destroy();
  }

  const checks = runDoctorChecks(observation);
  const report = buildDoctorReport(observation, checks);
  const comparedChecks = compared && runDoctorChecks(compared);
  const comparison =
    compared && comparedChecks
      ? compareWatches(observation, compared, buildDoctorReport(compared, comparedChecks), checks)
      : undefined;
  if (options.report !== undefined && timeline !== undefined) {
    await writeDoctorHtml(options.report, report, timeline);
  }
  writeDoctorReport(io, options, report, comparison);
  if (interrupt.signal.aborted) return ExitCode.interrupted;
  const failed =
    doctorFailed(checks) || (comparedChecks !== undefined && doctorFailed(comparedChecks));
  return failed ? ExitCode.failure : ExitCode.ok;
}
