/**
 * `sse-tool load URL -c N`: N real SSE clients from one process, each one counted and checked,
 * then one report (text, or JSON with mergeable histograms) and the CI assertions.
 * `sse-tool load --merge a.json b.json`: combines the reports of several runs.
 *
 * This module wires the pieces together and owns the effects: files, limits, timers, stdout.
 */
import { readFile, stat } from "node:fs/promises";
import { isIP } from "node:net";
import { hostname } from "node:os";
import { type CommandIo, processIo } from "../cli/command-io.js";
import { ExitCode, SseToolError } from "../errors.js";
import { readCaCertificateFile } from "../http/ca-certificate-file.js";
import { redactUrl } from "../http/redaction.js";
import type { RedirectHeaderRules } from "../http/redirect-follow.js";
import { prepareRequest } from "../http/request.js";
import { parseTargetUrl } from "../http/target-url.js";
import { chooseStreamTransport } from "../http/transports/choice.js";
import { buildStreamRequest, type StreamTransport } from "../http/transports/stream-transport.js";
import { chalkFor } from "../terminal/chalk.js";
import { escapeForTerminalLine } from "../terminal/escape.js";
import { onInterrupt } from "../terminal/interrupts.js";
import { DeliveryAccounting } from "./accounting/delivery.js";
import { LatencyReader } from "./accounting/latency-field.js";
import { LoadMetrics } from "./accounting/metrics.js";
import { defaultConnectTimeoutMs, type LoadCliOptions } from "./cli.js";
import { ClientPool } from "./clients/client-pool.js";
import {
  fileLimitShortfall,
  fileLimitWarning,
  fileReserve,
  portRangeWarning,
  readFileLimits,
  readLocalPortRange,
} from "./file-limit.js";
import { GeneratorMonitor } from "./generator-usage.js";
import { failedAssertions, type LoadAssertions } from "./report/assertions.js";
import { mergeReports, readReport } from "./report/merge.js";
import { formatProgressLine } from "./report/progress-line.js";
import { buildReport, type LoadReport } from "./report/report.js";
import { formatReportPictures } from "./report/report-pictures.js";
import { formatReportText, noPaint, type Paint } from "./report/report-text.js";
import { writeHtmlReport } from "./report-file.js";
import { TimelineSampler } from "./timeline-sampler.js";

/** First connections in flight at once: well under a server's default accept queue (511). */
const maxPendingConnects = 256;
/** How long a client must have been connected before it is held to an event (delivery.ts). */
const settleMs = 1000;
const progressEveryMs = 250;
const maxClients = 1_000_000;
/** A report file larger than this is not a report. */
const maxReportFileBytes = 64 * 1024 * 1024;

export async function load(
  url: string | undefined,
  options: LoadCliOptions,
  io: CommandIo = processIo(),
): Promise<number> {
  const assertions: LoadAssertions = {
    maxLoss: options.maxLoss,
    maxErrors: options.maxErrors,
    maxSkewP99Ms: options.maxSkewP99,
    minConnected: options.minConnected,
  };
  if (options.merge !== undefined) {
    // `--merge a.json URL` reads the URL as a file name too (the option takes several values).
    if (url !== undefined || options.merge.some((file) => /^https?:\/\//i.test(file))) {
      throw new SseToolError("usage", "--merge combines report files; give no URL with it");
    }
    const report = mergeReports(await Promise.all(options.merge.map(readReportFile)));
    await writeHtmlReport(options.report, report, assertions);
    return finish(report, assertions, options, io, undefined);
  }
  if (url === undefined) {
    throw new SseToolError("usage", "missing URL (or --merge with report files)");
  }
  const run = await prepareRun(url, options, io);
  const report = await runLoad(run, options, io);
  await writeHtmlReport(options.report, report.report, assertions);
  return finish(report.report, assertions, options, io, report.stoppedBy, report.nothingConnected);
}

interface PreparedRun {
  url: URL;
  transport: StreamTransport;
  request: ReturnType<typeof buildStreamRequest>;
  redirectRules: RedirectHeaderRules;
  sourceAddresses: string[];
  latency: LatencyReader | undefined;
  reconnect: boolean;
  warnings: string[];
}

/** Validates the options, sees to the limits, and builds the shared request. */
async function prepareRun(
  rawUrl: string,
  options: LoadCliOptions,
  io: CommandIo,
): Promise<PreparedRun> {
  const target = parseTargetUrl(rawUrl);
  const clients = options.clients;
  if (clients < 1 || clients > maxClients) {
    throw new SseToolError(
      "usage",
      `--clients must be between 1 and ${maxClients.toLocaleString("en-US")}`,
    );
  }
  if (options.duration <= 0) throw new SseToolError("usage", "--duration must be more than 0");
  if (options.ramp > options.duration) {
    throw new SseToolError(
      "usage",
      "--ramp is longer than --duration: not every client would open",
    );
  }
  const sourceAddresses = (options.sourceAddress ?? [])
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter((value) => value !== "");
  for (const address of sourceAddresses) {
    if (isIP(address) === 0) {
      throw new SseToolError(
        "usage",
        `--source-address ${escapeForTerminalLine(address)} is not an IP address`,
      );
    }
  }
  const latency =
    options.latencyField === undefined ? undefined : new LatencyReader(options.latencyField);
  const warnings: string[] = [];
  const warn = (text: string) => {
    warnings.push(text);
    io.stderr.write(`sse-tool: ${text}\n`);
  };

  const needed = clients + fileReserve;
  const fileLimit = fileLimitShortfall(needed, readFileLimits());
  if (fileLimit !== undefined) warn(fileLimitWarning(clients, needed, fileLimit));
  const portRange = readLocalPortRange();
  if (portRange !== undefined) {
    const warning = portRangeWarning(clients, sourceAddresses.length, portRange);
    if (warning !== undefined) warn(warning);
  }

  const prepared = await prepareRequest(target, options, io.stdin);
  const method = prepared.method;
  // Last-Event-ID is each client's own: the transport adds it to the shared head.
  // prepared.url is the target without `user:password@` (that travels as Authorization).
  const request = buildStreamRequest(
    new URL(prepared.url),
    method,
    prepared.headersFor(""),
    prepared.body,
  );
  const extraCaPem =
    options.cacert === undefined ? undefined : await readCaCertificateFile(options.cacert);
  const connectTimeoutMs = options.connectTimeout ?? defaultConnectTimeoutMs;
  const transport = await chooseStreamTransport({
    insecure: options.insecure,
    http2: options.http2,
    extraCaPem,
    proxy: options.proxy,
    env: io.env,
    connectTimeoutMs,
  });
  return {
    url: target,
    transport,
    request,
    redirectRules: {
      userHeaderNames: prepared.userHeaderNames,
      locationTrusted: options.locationTrusted === true,
    },
    sourceAddresses,
    latency,
    // As listen: only a GET is re-sent when the stream ends (a POST would run again).
    reconnect: method === "GET",
    warnings,
  };
}

interface RunResult {
  report: LoadReport;
  /** The signal that ended the run early (Ctrl-C, or SIGTERM from a job runner), if one did. */
  stoppedBy: NodeJS.Signals | undefined;
  nothingConnected: boolean;
}

async function runLoad(
  run: PreparedRun,
  options: LoadCliOptions,
  io: CommandIo,
): Promise<RunResult> {
  const clients = options.clients;
  const metrics = new LoadMetrics(clients);
  const accounting = new DeliveryAccounting({ clients, settleMs });
  const pool = new ClientPool({
    clients,
    rampMs: options.ramp,
    maxPendingConnects,
    sourceAddresses: run.sourceAddresses,
    transport: run.transport,
    request: run.request,
    redirectRules: run.redirectRules,
    accounting,
    metrics,
    latency: run.latency,
    reconnect: run.reconnect,
    retryMs: options.retry,
    maxEventSize: options.maxEventSize,
  });
  const shownUrl = escapeForTerminalLine(redactUrl(run.url.href));
  io.stderr.write(
    `sse-tool: load: ${clients.toLocaleString("en-US")} clients -> ${shownUrl} for ${options.duration / 1000} s${options.ramp > 0 ? ` (ramp ${options.ramp / 1000} s)` : ""}\n`,
  );
  const startedAt = new Date().toISOString();
  const startedAtMs = performance.now();
  const monitor = new GeneratorMonitor();
  pool.start();
  const sampler = new TimelineSampler({ pool, metrics, accounting }, options.timelineSlots);
  const progress = startProgress(io, pool, metrics, monitor, startedAtMs, clients);
  let removeInterruptHandler = () => {};
  let durationTimer: NodeJS.Timeout | undefined;
  let stoppedBy: NodeJS.Signals | undefined;
  await new Promise<void>((resolve) => {
    durationTimer = setTimeout(resolve, options.duration);
    void pool.settled.then(resolve);
    // SIGTERM too: a Kubernetes Job or CI runner that stops the run still gets its report.
    removeInterruptHandler = onInterrupt(
      (received) => {
        stoppedBy = received ?? "SIGINT";
        resolve();
      },
      { signal: io.signal, signals: ["SIGINT", "SIGTERM"] },
    );
  });
  clearTimeout(durationTimer);
  removeInterruptHandler();
  progress.stop();
  const endedAtMs = performance.now();
  const timeline = sampler.finish().toJSON();
  const connected = metrics.connectedNow;
  pool.stop();
  const delivery = accounting.finish(endedAtMs);
  const generator = monitor.finish();
  await run.transport.close();
  if (generator.saturated) {
    const warning = `warning: the load generator was saturated (event loop busy ${generator.eventLoopBusyPercent}%, timer delay p99 ${generator.eventLoopDelayP99Ms} ms): latency and skew include its own delay. Use fewer clients per process, or several processes or machines combined with --merge.`;
    run.warnings.push(warning);
    io.stderr.write(`sse-tool: ${warning}\n`);
  }
  const report = buildReport({
    url: redactUrl(run.url.href),
    label: `${hostname()}:${process.pid}`,
    clients,
    startedAt,
    durationMs: endedAtMs - startedAtMs,
    connected,
    eventWindowMs: pool.events > 1 ? pool.lastEventAtMs - pool.firstEventAtMs : 0,
    delivery,
    metrics,
    generator,
    warnings: run.warnings,
    timeline,
  });
  return {
    report,
    stoppedBy,
    nothingConnected: pool.nothingConnected,
  };
}

/** The live line on a terminal; a line once every client is connected otherwise. */
function startProgress(
  io: CommandIo,
  pool: ClientPool,
  metrics: LoadMetrics,
  monitor: GeneratorMonitor,
  startedAtMs: number,
  clients: number,
): { stop(): void } {
  const tty = io.stderr.isTTY === true;
  let lastEvents = 0;
  let lastAt = performance.now();
  let rate = 0;
  let announced = false;
  const timer = setInterval(() => {
    const now = performance.now();
    // Events per second, smoothed over about a second.
    const instant = ((pool.events - lastEvents) / Math.max(1, now - lastAt)) * 1000;
    rate = rate === 0 ? instant : rate * 0.75 + instant * 0.25;
    lastEvents = pool.events;
    lastAt = now;
    if (tty) {
      const line = formatProgressLine({
        elapsedMs: now - startedAtMs,
        connected: metrics.connectedNow,
        clients,
        eventsPerSecond: rate,
        reconnects: metrics.reconnects,
        errors: metrics.failedAttempts,
        busy: monitor.busyNow,
      });
      io.stderr.write(`\r${line}\x1b[K`);
    } else if (!announced && metrics.connectedNow === clients) {
      announced = true;
      io.stderr.write(
        `sse-tool: load: all ${clients.toLocaleString("en-US")} clients connected after ${((now - startedAtMs) / 1000).toFixed(1)} s\n`,
      );
    }
  }, progressEveryMs);
  return {
    stop() {
      clearInterval(timer);
      if (tty) io.stderr.write("\r\x1b[K");
    },
  };
}

/** Prints the report and decides the exit code. */
function finish(
  report: LoadReport,
  assertions: LoadAssertions,
  options: LoadCliOptions,
  io: CommandIo,
  stoppedBy: NodeJS.Signals | undefined,
  nothingConnected = false,
): number {
  const paint = options.json ? noPaint : paintFor(options, io);
  // Sparklines where colour is on (a terminal); the numbers alone otherwise.
  const pictures = paint === noPaint ? "" : formatReportPictures(report, paint);
  io.stdout.write(
    options.json ? `${JSON.stringify(report)}\n` : `${formatReportText(report, paint)}${pictures}`,
  );
  if (stoppedBy === "SIGTERM") {
    io.stderr.write("sse-tool: load: stopped by SIGTERM; the report covers the run so far\n");
    return ExitCode.terminated;
  }
  if (stoppedBy !== undefined) {
    io.stderr.write("sse-tool: load: interrupted; the report covers the run so far\n");
    return ExitCode.interrupted;
  }
  if (nothingConnected) {
    const error = report.errors[0];
    throw new SseToolError(
      "connect",
      `no client could connect to ${escapeForTerminalLine(new URL(report.url).host)}${error === undefined ? "" : `: ${error.example}`}`,
    );
  }
  const failures = failedAssertions(report, assertions);
  if (failures.length === 1) {
    throw new SseToolError("expectation", `assertion failed: ${failures[0]}`);
  }
  if (failures.length > 1) {
    throw new SseToolError(
      "expectation",
      `${failures.length} assertions failed:\n  ${failures.join("\n  ")}`,
    );
  }
  return ExitCode.ok;
}

function paintFor(options: LoadCliOptions, io: CommandIo): Paint {
  const chalk = chalkFor({
    colorFlag: options.color,
    env: io.env,
    stream: io.stdout,
    standsFor: "stdout",
  });
  if (chalk.level === 0) return noPaint;
  return { good: chalk.green, bad: chalk.red, dim: chalk.dim, bold: chalk.bold };
}

async function readReportFile(path: string): Promise<LoadReport> {
  let text: string;
  try {
    const info = await stat(path);
    if (info.size > maxReportFileBytes) {
      throw new SseToolError("input", `${path} is larger than a load report can be`);
    }
    text = await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof SseToolError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new SseToolError(
      "input",
      `cannot read ${escapeForTerminalLine(path)}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SseToolError(
      "input",
      `${escapeForTerminalLine(path)} is not JSON (write it with load --json)`,
    );
  }
  return readReport(value, escapeForTerminalLine(path));
}
