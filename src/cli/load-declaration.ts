/**
 * `sse-tool load`'s declaration: its options and help, as src/cli.ts declares the other commands
 * (its own file only to keep src/cli.ts short). The action lazy-imports src/load/command.ts.
 */
import { type Command, Option } from "commander";
import { exitCodeHelp } from "../errors.js";
import type { LoadCliOptions } from "../load/command.js";
import {
  byteSize,
  collect,
  countOrPercent,
  durationOption,
  milliseconds,
  wholeNumber,
} from "./option-values.js";
import { addRequestOptions, connectTimeoutOption, tlsOptions } from "./request-options.js";
import { runCommand } from "./run-command.js";

export function declareLoad(program: Command): void {
  addRequestOptions(
    program
      .command("load")
      .description(
        "Open many SSE clients against one endpoint; check every event reached each one.",
      )
      .argument("[url]", "the event-stream URL (http:// when no scheme is given)")
      .option("-c, --clients <n>", "clients to hold open at once", wholeNumber, 100)
      .addOption(
        new Option(
          "--ramp <duration>",
          "open the clients evenly over this time (a bare number is seconds)",
        )
          .argParser(durationOption("s"))
          .default(0, "0, all at once"),
      )
      .addOption(
        new Option(
          "--duration <duration>",
          "how long the run lasts, ramp included (a bare number is seconds)",
        )
          .argParser(durationOption("s"))
          .default(30_000, "30s"),
      ),
    // Request options, as listen's.
    tlsOptions(),
  )
    .addOption(connectTimeoutOption("30s"))
    .addOption(
      new Option(
        "--retry <duration>",
        "reconnection time until the server sends retry: (a bare number is milliseconds)",
      )
        .argParser(milliseconds)
        .default(3000, "3s"),
    )
    .addOption(
      new Option("--max-event-size <bytes>", "largest line or event a client accepts")
        .argParser(byteSize)
        .default(64 * 1024, "64KiB"),
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

${exitCodeHelp}`,
    )
    .action(async (url: string | undefined, options: LoadCliOptions) => {
      await runCommand(async () => (await import("../load/command.js")).load(url, options));
    });
}
