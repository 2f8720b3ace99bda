/**
 * The command line: declares commands and options; each action lazy-imports its command module
 * (src/<capability>/command.ts), so `--version` and `--help` stay fast under `npx`.
 */
import { Argument, Command, CommanderError, Option } from "commander";
import packageJson from "../package.json" with { type: "json" };
import type { CompletionShell } from "./cli/completion/scripts.js";
import { declareLoad } from "./cli/load-declaration.js";
import {
  byteSize,
  collect,
  duration,
  milliseconds,
  portNumber,
  positiveNumber,
  replaySpeed,
  secondsToMs,
  splitSize,
  tokenStall,
  wholeNumber,
} from "./cli/option-values.js";
import { addRequestOptions, connectTimeoutOption, tlsOptions } from "./cli/request-options.js";
import { runCommand } from "./cli/run-command.js";
import type { DoctorCliOptions } from "./doctor/command.js";
import { ExitCode, exitCodeHelp, serveExitCodeHelp } from "./errors.js";
import type { ListenCliOptions } from "./listen/options.js";
import { timeColumnModes } from "./listen/output/time-column.js";
import { llmFakeProviders } from "./serve/llm-fake/providers.js";
import type { ServeCliOptions } from "./serve/options.js";

// A reader that stops early (`sse-tool --help | head -1`) closes the pipe: that is a normal end,
// not a crash. Commands that stream (listen) handle their stdout themselves, with the same rule.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (process.stdout.listenerCount("error") > 1) return;
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? ExitCode.ok);
});

const program = new Command("sse-tool")
  .description("Inspect, debug and fake Server-Sent Events (SSE) streams.")
  .version(packageJson.version, "-V, --version")
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride()
  .addHelpText(
    "after",
    `
Examples:
  sse-tool listen https://example.com/events
  sse-tool listen --json https://example.com/events | jq .data
  cat examples/events.ndjson | sse-tool serve --port 8080
  sse-tool load -c 1000 --duration 60 http://localhost:8080/events
  sse-tool demo

${exitCodeHelp}`,
  );

addRequestOptions(
  program
    .command("listen")
    .description("Connect to SSE endpoints and show each event as it arrives.")
    .argument(
      "<url...>",
      "the event-stream URL (http:// when no scheme is given: localhost:8080/events); several are followed at once",
    ),
  tlsOptions(),
)
  .option(
    "--json",
    "one JSON object per event: {time, event, id, data} (+ source with several URLs)",
  )
  .option(
    "--json-data",
    "with --json (implied): data that is a JSON object or array goes in parsed (jq .data.field)",
  )
  .option("--raw", "write the response body bytes unchanged")
  .option("--comments", "also show comment lines (heartbeats)")
  .addOption(
    new Option(
      "--time <mode>",
      "time column: clock, relative (since start), delta (since the previous event) or none",
    )
      .choices(timeColumnModes)
      .default("clock"),
  )
  .option("--full", "show very large data whole (default: its first 2 KiB and its size)")
  .option(
    "--accept-any-type",
    "read a response that is not text/event-stream (text/plain, ...) anyway, with a warning",
  )
  .option("-e, --event <type>", "show only events of this type (repeatable)", collect)
  .option(
    "-n, --max-events <n>",
    "exit 0 after this many shown events (over all URLs)",
    wholeNumber,
  )
  .option(
    "--timeout <duration>",
    "give up after this long in all, e.g. 30s or 2m (exit 3; a bare number is seconds)",
    secondsToMs,
  )
  .option(
    "--idle-timeout <duration>",
    "give up after this long without bytes (exit 3; a bare number is seconds)",
    secondsToMs,
  )
  .addOption(connectTimeoutOption("30s"))
  .addOption(
    new Option(
      "--retry <duration>",
      "reconnection time until the server sends retry: (at least 100ms is waited; a bare number is milliseconds)",
    )
      .argParser(milliseconds)
      .default(3000, "3s"),
  )
  .option("--last-event-id <id>", "send this Last-Event-ID on the first request")
  .option("--no-reconnect", "do not reconnect when the stream ends or fails")
  .option("--reconnect-post", "also reconnect a POST (or -X) request, re-sending its body")
  .option(
    "--max-retries <n>",
    "stop after this many reconnects in a row without an event",
    wholeNumber,
  )
  .addOption(
    new Option(
      "--max-event-size <bytes>",
      "largest line or event, e.g. 64KiB; a larger one is skipped with a warning (exit 1 at the end)",
    )
      .argParser(byteSize)
      .default(16 * 1024 ** 2, "16MiB"),
  )
  .option("--no-color", "no colours (also NO_COLOR=1; FORCE_COLOR=1 forces them)")
  .option("-v, --verbose", "show request, response headers and reconnect details on stderr")
  .option("-i, --include", "show the response status line and headers on stderr first")
  .option("-o, --output <file>", "write the events to this file; progress stays on stderr")
  .option("-s, --silent", "nothing on stderr but errors (also -q)")
  .addOption(new Option("-q, --quiet").hideHelp())
  .option(
    "--llm",
    "assemble an LLM token stream (OpenAI, Azure, Anthropic, Gemini, Cohere, Vercel AI, " +
      "OpenAI-compatible): the answer on stdout, timings on stderr",
  )
  .option("--no-llm", "do not switch to the LLM view when the stream looks like one")
  .option(
    "--llm-stall <duration>",
    "with the LLM view, report gaps between chunks longer than this as stalls, e.g. 500ms (default 1s)",
    duration,
  )
  .option("--stats", "counts per type, rate, bytes, gaps and reconnects on stderr")
  .option("--expect-event <type>", "this event type must arrive, else exit 4 (repeatable)", collect)
  .option("--expect-count <n>", "at least n shown events must arrive, else exit 4", wholeNumber)
  .option("--until-event <type>", "stop after the first event of this type (exit 0)")
  .option(
    "--record <file>",
    "also write a recording of the connection (heads, chunks, timing) for serve --replay",
  )
  .addHelpText(
    "after",
    `
Examples:
  sse-tool listen http://localhost:8080/events
  sse-tool listen :8080/events                 # no scheme: http://localhost:8080/events
  sse-tool listen -n 5 --json http://localhost:8080/events | jq -r .data
  sse-tool listen --json-data -e update localhost:8080/events | jq .data.order
  sse-tool listen -u ada:secret --time relative localhost:8080/events
  sse-tool listen -H "Authorization: Bearer $TOKEN" \\
    -d '{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}' \\
    -H "Content-Type: application/json" https://api.example.com/v1/chat/completions
  sse-tool listen --llm --json -d @examples/request.json https://api.example.com/v1/chat/completions | jq .timings
  sse-tool listen --raw http://localhost:8080/events > capture.txt
  sse-tool listen http://localhost:8080/events http://localhost:9090/events   # both at once
  sse-tool listen --http2 --cacert company-ca.pem https://internal.example/events
  sse-tool listen --expect-event ready --timeout 10s http://localhost:8080/events   # CI check
  sse-tool listen --record stream.jsonl https://example.com/events   # then: serve --replay

${exitCodeHelp}`,
  )
  .action(async (urls: string[], options: ListenCliOptions) => {
    await runCommand(async () =>
      (await import("./listen/command.js")).listenCommand(urls, options),
    );
  });

program
  .command("serve")
  .description("Serve events read from stdin or a file as an SSE endpoint.")
  .argument("[file]", "file to read events from (default: stdin, also '-')")
  .addOption(
    new Option("--format <format>", "input format")
      .choices(["auto", "lines", "ndjson", "sse"])
      .default("auto"),
  )
  .option("--strict", "bad input lines are fatal (exit 1) instead of skipped with a warning")
  .option("--event <type>", "event type for input that carries none")
  .option("--ids", "number events that carry no id, so clients can resume")
  .addOption(
    new Option(
      "--interval <duration>",
      "pause between events, e.g. 500ms (a bare number is milliseconds)",
    )
      .argParser(milliseconds)
      .default(0, "0"),
  )
  .addOption(
    new Option("--timing <mode>", "pacing: none, or the recorded `time` gaps")
      .choices(["none", "original"])
      .default("none"),
  )
  .option("--loop", "replay the file (or the --replay recording) again when it ends")
  .option("--follow", "keep reading the file as it grows, as tail -f does")
  .addOption(
    new Option("--poll <duration>", "with --follow: how often to look for more")
      .argParser(duration)
      .default(250, "250ms"),
  )
  .option("--host <host>", "address to bind", "127.0.0.1")
  .option("-p, --port <port>", "port to listen on (0 picks a free one)", portNumber, 8080)
  .option("--path <path>", "path of the event stream", "/events")
  .option(
    "--cors <origin>",
    "also let pages on this origin read and publish (repeatable; '*' any page, warned); " +
      "loopback origins always may",
    collect,
  )
  .option("--no-cors", "no CORS headers: only pages served by serve itself")
  .option(
    "--allowed-host <name>",
    "also answer requests for this Host name (repeatable; .example.com for a domain); " +
      "loopback names and IP addresses always are",
    collect,
  )
  .option("--history <n>", "events kept for clients resuming with Last-Event-ID", wholeNumber, 1000)
  .option(
    "--replay-history",
    "send the kept events to every new client (one may also ask: Last-Event-ID: earliest)",
  )
  .addOption(
    new Option("--max-client-buffer <bytes>", "drop a client whose unsent backlog stays over this")
      .argParser(byteSize)
      .default(8 * 1024 ** 2, "8MiB"),
  )
  .option("--no-wait", "emit at once instead of waiting for the first client")
  .addOption(
    new Option(
      "--heartbeat <duration>",
      "comment sent to idle clients this often, e.g. 30s (0 off; a bare number is seconds)",
    )
      .argParser(secondsToMs)
      .default(15_000, "15s"),
  )
  .option(
    "--retry <duration>",
    "send retry: to each new client, e.g. 5s (a bare number is milliseconds)",
    milliseconds,
  )
  .option("--exit-on-end", "when the input ends, flush every client, close and exit 0")
  .option("--no-ui", "do not serve the viewer page at /")
  .option("--no-publish", "do not accept POST to the stream path")
  .option(
    "--token <secret>",
    "require this bearer token (or ?token=); other users see it in ps: prefer the next two",
  )
  .option("--token-file <file>", "read the token from this file (not shown in ps)")
  .option("-q, --quiet", "do not log client connects and disconnects")
  .addOption(
    new Option(
      "--llm-fake <provider>",
      "answer the provider's chat requests with the input text, streamed as tokens",
    ).choices(llmFakeProviders),
  )
  .option(
    "--llm-fake-ttft <duration>",
    "with --llm-fake: time to first token (default 250ms)",
    duration,
  )
  .option(
    "--llm-fake-rate <tokens/s>",
    "with --llm-fake: tokens per second (default about 33)",
    positiveNumber,
  )
  .option(
    "--llm-fake-stall <at:duration>",
    "with --llm-fake: pause after <at> tokens, e.g. 20:3s (repeatable)",
    tokenStall,
  )
  .option("--replay <file>", "play a recording (listen --record) to each client, from the start")
  .addOption(
    new Option(
      "--speed <x>",
      "with --replay: how much faster than recorded, or max (no waits)",
    ).argParser(replaySpeed),
  )
  .option("--drop-after <n>", "fault: cut each connection after n events", wholeNumber)
  .option(
    "--stall-after <n>",
    "fault: pause each stream after n events (with --stall-for)",
    wholeNumber,
  )
  .option("--stall-for <duration>", "fault: how long --stall-after pauses, e.g. 5s", duration)
  .option(
    "--fail-first <n>",
    "fault: answer the first n stream requests with --fail-status",
    wholeNumber,
  )
  .option("--fail-status <code>", "fault: the status of --fail-first (default 503)", wholeNumber)
  .option(
    "--chunk-split <bytes|random>",
    "fault: send each stream in pieces of this many bytes (or 1-32 at random)",
    splitSize,
  )
  .option("--latency <duration>", "fault: hold every write this long, e.g. 200ms", duration)
  .addHelpText(
    "after",
    `
Input formats (--format auto decides per line):
  lines   each non-empty line is one event's data
  ndjson  {"event","data","id","retry","comment"} per line; listen --json output works
  sse     raw event-stream text, e.g. a saved curl -N capture
  auto    sse if it starts like one; else a JSON object whose keys are all event fields
          (event, data, id, retry, comment, time, source) is an event; other lines are data

Who can connect (README: Security model):
  serve binds 127.0.0.1 and answers only Host names that are loopback, an IP address
  or an --allowed-host (against DNS rebinding). Pages on loopback origins may read and
  publish; a page elsewhere needs --cors <its origin>. Anyone on this machine can
  reach the port: SSE_TOOL_TOKEN or --token-file sets a secret (--token puts it in ps).
  A new client gets live events only; Last-Event-ID: earliest or --replay-history
  sends the kept ones first (the viewer page asks for them).

A test double (README: A test double):
  --replay plays a listen --record recording to each client, byte for byte, with its
  gaps; the fault options break any stream on purpose and say so on stderr.

Examples:
  cat examples/events.ndjson | sse-tool serve
  sse-tool serve --loop --interval 500ms examples/ticks.txt
  sse-tool serve --follow --replay-history examples/events.ndjson
  sse-tool listen --json https://example.com/events | sse-tool serve --timing original
  curl --json '{"event":"x","data":"y"}' localhost:8080/events
  sse-tool serve --cors https://app.example.com --token-file ~/.sse-token examples/events.ndjson
  echo "Hello from a fake model." | sse-tool serve --llm-fake openai
  sse-tool serve --llm-fake gemini --llm-fake-rate 20 --llm-fake-stall 10:3s examples/reply.txt
  sse-tool serve --replay examples/stream.jsonl --speed 2   # a listen --record recording
  sse-tool serve --ids --drop-after 5 --chunk-split random examples/events.ndjson   # test a client

${serveExitCodeHelp}`,
  )
  .action(async (file: string | undefined, options: ServeCliOptions) => {
    // --llm-fake is a mode of its own: the fake API instead of the input pump.
    await runCommand(async () =>
      options.llmFake === undefined
        ? (await import("./serve/command.js")).serve(file, options)
        : (await import("./serve/llm-fake-command.js")).serveLlmFake(
            file,
            options.llmFake,
            options,
          ),
    );
  });

program
  .command("demo")
  .description("Serve a built-in sample stream and listen to it: see what sse-tool shows.")
  .option("--no-color", "no colours")
  .action(async (options: { color: boolean }) => {
    await runCommand(async () => (await import("./demo/command.js")).demo(options));
  });

addRequestOptions(
  program
    .command("doctor")
    .description("Watch an SSE endpoint for a while and report what will break for clients.")
    .argument("<url>", "the event-stream URL (http:// when no scheme is given)"),
  tlsOptions(),
)
  .addOption(connectTimeoutOption("15s, at most --duration"))
  .addOption(
    new Option(
      "--duration <duration>",
      "how long to watch the stream, e.g. 30s or 2m (a bare number is seconds)",
    )
      .argParser(secondsToMs)
      .default(10_000, "10s"),
  )
  .option("--origin <origin>", "check CORS for a page on this origin (https://app.example.com)")
  // doctor --compare (hops branch): a second path to the same stream, watched at once.
  .option("--compare <url2>", "watch a second path to the stream at once and show what it changed")
  .option("--json", "print the report as one JSON object")
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

Exit codes:
  0    no check failed (warnings allowed)
  1    at least one check failed
  2    usage error`,
  )
  .action(async (url: string, options: DoctorCliOptions) => {
    await runCommand(async () => (await import("./doctor/command.js")).doctor(url, options));
  });

declareLoad(program);

program
  .command("completion")
  .description("Print a completion script for your shell (see the README to install it).")
  .addArgument(
    new Argument("<shell>", "the shell to complete for").choices(["bash", "zsh", "fish"]),
  )
  .addHelpText(
    "after",
    `
Examples:
  sse-tool completion bash > ~/.local/share/bash-completion/completions/sse-tool
  sse-tool completion zsh > ~/.zfunc/_sse-tool     # a directory on $fpath
  sse-tool completion fish > ~/.config/fish/completions/sse-tool.fish`,
  )
  .action(async (shell: CompletionShell) => {
    await runCommand(async () =>
      (await import("./cli/completion/command.js")).completion(shell, program),
    );
  });

try {
  await program.parseAsync();
} catch (error) {
  // Commander already printed its message; help and --version end with exit code 0.
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  } else {
    throw error;
  }
}
