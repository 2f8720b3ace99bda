/**
 * `sse-tool load`'s declaration: its flags and help, the type of their values and their
 * defaults. The command line (src/main.ts) runs it with command.ts.
 */
import type { Command } from "commander";
import { durationForHelp, sizeForHelp } from "../cli/help-values.js";
import {
  byteSize,
  collect,
  countOrPercent,
  durationOption,
  wholeNumber,
} from "../cli/option-values.js";
import { addRequestOptions, connectTimeoutOption, retryOption } from "../cli/request-options.js";
import { exitCodeHelp } from "../errors.js";
import type { RequestCliOptions } from "../http/request.js";
import type { LossLimit } from "./report/assertions.js";

export const defaultClients = 100;
/** How long a run lasts when --duration is not given, ramp included. */
export const defaultRunMs = 30_000;
/** Time to connect and to receive the headers when --connect-timeout is not given. */
export const defaultConnectTimeoutMs = 30_000;
/** Each client holds events this large; load's events are small, so far below listen's. */
export const defaultMaxEventSizeBytes = 64 * 1024;

/** `load`'s options; the request ones (-H, -X, -d, --insecure, --proxy, ...) are listen's. */
export interface LoadCliOptions extends RequestCliOptions {
  clients: number;
  /** Milliseconds over which the clients are opened; 0: as fast as the server accepts them. */
  ramp: number;
  /** Milliseconds the run lasts, ramp included. */
  duration: number;
  cacert?: string;
  http2?: boolean;
  /** Milliseconds allowed to connect and to receive response headers. */
  connectTimeout?: number;
  retry: number;
  maxEventSize: number;
  /** Local addresses to connect from (repeatable, or comma-separated). */
  sourceAddress?: string[];
  latencyField?: string;
  json?: boolean;
  /** --report: write the report as one self-contained HTML page to this file. */
  report?: string;
  /** Slots of the per-second timeline before it halves its resolution (hidden; tests). */
  timelineSlots?: number;
  /** Report files to combine instead of running. */
  merge?: string[];
  maxLoss?: LossLimit;
  maxErrors?: number;
  maxSkewP99?: number;
  minConnected?: number;
  color: boolean;
}

/** Declares `load` on the program; the caller adds the action. */
export function declareLoad(program: Command): Command {
  const load = program
    .command("load")
    .description("Open many SSE clients against one endpoint; check every event reached each one.")
    .argument("[url]", "the event-stream URL (http:// when no scheme is given)");
  load
    .option("-c, --clients <n>", "clients to hold open at once", wholeNumber, defaultClients)
    .addOption(
      load
        .createOption(
          "--ramp <duration>",
          "open the clients evenly over this time (a bare number is seconds)",
        )
        .argParser(durationOption("s"))
        .default(0, "0, all at once"),
    )
    .addOption(
      load
        .createOption(
          "--duration <duration>",
          "how long the run lasts, ramp included (a bare number is seconds)",
        )
        .argParser(durationOption("s"))
        .default(defaultRunMs, durationForHelp(defaultRunMs)),
    );
  // Request options, as listen's.
  return (
    addRequestOptions(load, true)
      .addOption(connectTimeoutOption(load, durationForHelp(defaultConnectTimeoutMs)))
      .addOption(
        retryOption(
          load,
          "reconnection time until the server sends retry: (a bare number is milliseconds)",
        ),
      )
      .addOption(
        load
          .createOption("--max-event-size <bytes>", "largest line or event a client accepts")
          .argParser(byteSize)
          .default(defaultMaxEventSizeBytes, sizeForHelp(defaultMaxEventSizeBytes)),
      )
      // Load options.
      .option(
        "--source-address <ip>",
        "local address to connect from; several spread the clients (repeatable or a,b,c)",
        collect,
      )
      .option(
        "--latency-field <path>",
        "JSON field of the data holding its send time: end-to-end latency",
      )
      .option("--json", "print the report as one JSON object (mergeable with --merge)")
      .option("--report <file>", "also write the report as a self-contained HTML page with charts")
      .addOption(
        load
          .createOption("--timeline-slots <n>", "slots of the per-second timeline")
          .argParser(wholeNumber)
          .hideHelp(),
      )
      .option("--merge <files...>", "combine the --json reports of several runs instead of running")
      .option(
        "--max-loss <n|n%>",
        "fail (exit 4) if more events than this went missing",
        countOrPercent,
      )
      .option("--max-errors <n>", "fail (exit 4) if more connection attempts failed", wholeNumber)
      .option(
        "--max-skew-p99 <duration>",
        "fail (exit 4) if the fan-out skew p99 is larger (a bare number is seconds)",
        durationOption("s"),
      )
      .option(
        "--min-connected <n>",
        "fail (exit 4) if fewer clients are connected at the end",
        wholeNumber,
      )
      .option("--no-color", "no colours (also NO_COLOR=1; FORCE_COLOR=1 forces them)")
      .addHelpText(
        "after",
        `
Each client is a real EventSource (the WHATWG decoder, reconnection with Last-Event-ID and
retry:) that counts instead of printing. The report (stdout) gives connections, events, missing
ids, duplicates, out-of-order ids, fan-out skew (first to last client per id), connect / first
byte / first event times, and the generator's own CPU and memory; progress goes to stderr.

Examples:
  sse-tool load -c 5000 --ramp 10s --duration 60s http://localhost:8080/events
  sse-tool load -c 200 --duration 20 --max-loss 0 --max-skew-p99 250ms $URL   # CI gate
  sse-tool load -c 1000 --latency-field sentAt --json $URL > run.json
  sse-tool load -c 40000 --source-address 127.0.0.1,127.0.0.2 http://127.0.0.1:8080/events
  sse-tool load --merge pod-*.json --max-loss 0       # reports of several machines
  sse-tool load -c 500 --duration 60s --report run.html $URL   # charts in one file

${exitCodeHelp}`,
      )
  );
}
