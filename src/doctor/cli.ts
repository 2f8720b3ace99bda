/**
 * `sse-tool doctor`'s declaration: its flags and help, the type of their values and their
 * defaults. The command line (src/main.ts) runs it with command.ts.
 */
import type { Command } from "commander";
import { durationForHelp } from "../cli/help-values.js";
import { secondsToMs } from "../cli/option-values.js";
import { addRequestOptions, connectTimeoutOption } from "../cli/request-options.js";
import { ExitCode } from "../errors.js";
import type { RequestCliOptions } from "../http/request.js";

/** How long the stream is watched when --duration is not given. */
export const defaultWatchMs = 10_000;
/** Time to connect and to receive the headers when --connect-timeout is not given. */
export const defaultConnectTimeoutMs = 15_000;

export interface DoctorCliOptions extends RequestCliOptions {
  /** How long to watch the stream, in milliseconds. */
  duration: number;
  origin?: string;
  json?: boolean;
  /** --report: also write the report, with a timeline of the watch, as one HTML page. */
  report?: string;
  color: boolean;
  /** The same as listen's: --cacert, --http2, --connect-timeout, -v. */
  cacert?: string;
  http2?: boolean;
  connectTimeout?: number;
  verbose?: boolean;
  /** --compare URL2: watch a second path to the same stream at the same time, and diff. */
  compare?: string;
}

/** Declares `doctor` on the program; the caller adds the action. */
export function declareDoctor(program: Command): Command {
  const doctor = addRequestOptions(
    program
      .command("doctor")
      .description("Watch an SSE endpoint for a while and report what will break for clients.")
      .argument(
        "<url>",
        "the event-stream URL (http:// when no scheme is given), or a listen --record recording file",
      ),
    true,
  );
  return doctor
    .addOption(
      connectTimeoutOption(
        doctor,
        `${durationForHelp(defaultConnectTimeoutMs)}, at most --duration`,
      ),
    )
    .addOption(
      doctor
        .createOption(
          "--duration <duration>",
          "how long to watch the stream, e.g. 30s or 2m (a bare number is seconds)",
        )
        .argParser(secondsToMs)
        .default(defaultWatchMs, durationForHelp(defaultWatchMs)),
    )
    .option("--origin <origin>", "check CORS for a page on this origin (https://app.example.com)")
    .option(
      "--compare <url2>",
      "watch a second path to the stream at once and show what it changed",
    )
    .option("--json", "print the report as one JSON object")
    .option("--report <file>", "also write the report as an HTML page with a timeline of the watch")
    .option("--no-color", "no colours (also NO_COLOR=1; FORCE_COLOR=1 forces them)")
    .option("-v, --verbose", "show the requests and response headers on stderr")
    .addHelpText(
      "after",
      `
Checks: status, content-type, compression, cache-control, proxy-buffering, cors,
events, bursts, heartbeat, idle-cut, ids, resume (reconnects with Last-Event-ID),
retry, line-endings, event-size, http-version. Each is PASS, WARN, FAIL or SKIP, with a fix.

Examples:
  sse-tool doctor http://localhost:8080/events
  sse-tool doctor --duration 30s --origin https://app.example.com https://api.example.com/events
  sse-tool doctor --json http://localhost:8080/events | jq '.checks[] | select(.status != "pass")'
  sse-tool doctor examples/stream.jsonl       # a recording: the checks that need no live server

Exit codes:
  ${ExitCode.ok}    no check failed (warnings allowed)
  ${ExitCode.failure}    at least one check failed
  ${ExitCode.usage}    usage error
  ${ExitCode.interrupted}  interrupted (Ctrl-C); the report of what was seen is printed first`,
    );
}
