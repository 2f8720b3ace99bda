/**
 * `sse-tool serve`'s declaration: its flags and help (for all of its modes), the type of their
 * values and their defaults. The command line (src/main.ts) runs it with command.ts, or
 * llm-fake-command.ts for --llm-fake.
 */
import type { Command } from "commander";
import { durationForHelp, sizeForHelp } from "../cli/help-values.js";
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
} from "../cli/option-values.js";
import { serveExitCodeHelp } from "../errors.js";
import {
  defaultFailStatus,
  type FaultOptions,
  randomSplitMaxBytes,
} from "./faults/fault-options.js";
import { defaultJournalSize } from "./journal/request-journal.js";
import { type LlmFakeProvider, llmFakeProviders } from "./llm-fake/providers.js";
// script.ts holds the fake's defaults and imports nothing: declaring serve loads no more.
import {
  defaultFirstTokenDelayMs,
  defaultTokenDelayMs,
  type LlmFakeStall,
} from "./llm-fake/script.js";

export const defaultHost = "127.0.0.1";
export const defaultPort = 8080;
export const defaultStreamPath = "/events";
/** Events kept for clients that resume with Last-Event-ID. */
export const defaultHistorySize = 1000;
/** A client whose unsent backlog stays over this is dropped. */
export const defaultMaxClientBufferBytes = 8 * 1024 ** 2;
/** Idle clients get a comment this often, so proxies keep the connection open. */
export const defaultHeartbeatMs = 15_000;
/** With --follow, how often the file is looked at for more. */
export const defaultPollMs = 250;

/** The fault options (--drop-after, ...) are named as startServer() names them. */
export interface ServeCliOptions extends FaultOptions {
  format: "auto" | "lines" | "ndjson" | "sse";
  strict?: boolean;
  event?: string;
  ids?: boolean;
  interval: number;
  timing: "none" | "original";
  loop?: boolean;
  /** --follow: read the file as it grows (`tail -f`). */
  follow?: boolean;
  /** --poll: with --follow, ms between looks at the end of the file. */
  poll: number;
  host: string;
  port: number;
  path: string;
  /** `--cors` origins added to the loopback ones (repeatable; `*` for any), false for --no-cors. */
  cors?: string[] | false;
  /** `--allowed-host` names accepted in the Host header besides loopback names and IPs. */
  allowedHost?: string[];
  history: number;
  /** --replay-history: every new client without Last-Event-ID gets the kept events first. */
  replayHistory?: boolean;
  maxClientBuffer: number;
  wait: boolean;
  /** Milliseconds between heartbeats; 0 is off. */
  heartbeat: number;
  retry?: number;
  exitOnEnd?: boolean;
  ui: boolean;
  publish: boolean;
  token?: string;
  /** --token-file: a file holding the token (kept out of `ps` and /proc/<pid>/cmdline). */
  tokenFile?: string;
  quiet?: boolean;
  /** Answer the provider's chat request with the input text as a streamed reply. */
  llmFake?: LlmFakeProvider;
  /** --llm-fake-ttft: ms before the first token. */
  llmFakeTtft?: number;
  /** --llm-fake-rate: tokens per second. */
  llmFakeRate?: number;
  /** --llm-fake-stall (repeatable): pauses at token positions. */
  llmFakeStall?: LlmFakeStall[];
  /** --script: with --llm-fake, the replies from this JSON file. */
  script?: string;
  /** --mcp-fake: an MCP server whose tools, resources and prompts come from this JSON file. */
  mcpFake?: string;
  /** --replay: a recording (`listen --record`) played to each client. */
  replay?: string;
  /** --speed: with --replay, how much faster than recorded, or "max". */
  speed?: number | "max";
  /** --journal: requests kept in the request journal (0: none). */
  journal?: number;
}

/** Declares `serve` on the program; the caller adds the action. */
export function declareServe(program: Command): Command {
  const serve = program
    .command("serve")
    .description("Serve events read from stdin or a file as an SSE endpoint.")
    .argument("[file]", "file to read events from (default: stdin, also '-')");
  const tokensPerSecond = Math.round(1000 / defaultTokenDelayMs);
  return serve
    .addOption(
      serve
        .createOption("--format <format>", "input format")
        .choices(["auto", "lines", "ndjson", "sse"])
        .default("auto"),
    )
    .option("--strict", "bad input lines are fatal (exit 1) instead of skipped with a warning")
    .option("--event <type>", "event type for input that carries none")
    .option("--ids", "number events that carry no id, so clients can resume")
    .addOption(
      serve
        .createOption(
          "--interval <duration>",
          "pause between events, e.g. 500ms (a bare number is milliseconds)",
        )
        .argParser(milliseconds)
        .default(0, "0"),
    )
    .addOption(
      serve
        .createOption("--timing <mode>", "pacing: none, or the recorded `time` gaps")
        .choices(["none", "original"])
        .default("none"),
    )
    .option("--loop", "replay the file (or the --replay recording) again when it ends")
    .option("--follow", "keep reading the file as it grows, as tail -f does")
    .addOption(
      serve
        .createOption("--poll <duration>", "with --follow: how often to look for more")
        .argParser(duration)
        .default(defaultPollMs, durationForHelp(defaultPollMs)),
    )
    .option("--host <host>", "address to bind", defaultHost)
    .option("-p, --port <port>", "port to listen on (0 picks a free one)", portNumber, defaultPort)
    .option("--path <path>", "path of the event stream", defaultStreamPath)
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
    .option(
      "--history <n>",
      "events kept for clients resuming with Last-Event-ID",
      wholeNumber,
      defaultHistorySize,
    )
    .option(
      "--replay-history",
      "send the kept events to every new client (one may also ask: Last-Event-ID: earliest)",
    )
    .addOption(
      serve
        .createOption(
          "--max-client-buffer <bytes>",
          "drop a client whose unsent backlog stays over this",
        )
        .argParser(byteSize)
        .default(defaultMaxClientBufferBytes, sizeForHelp(defaultMaxClientBufferBytes)),
    )
    .option("--no-wait", "emit at once instead of waiting for the first client")
    .addOption(
      serve
        .createOption(
          "--heartbeat <duration>",
          "comment sent to idle clients this often, e.g. 30s (0 off; a bare number is seconds)",
        )
        .argParser(secondsToMs)
        .default(defaultHeartbeatMs, durationForHelp(defaultHeartbeatMs)),
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
      serve
        .createOption(
          "--llm-fake <provider>",
          "answer the provider's chat requests with the input text, streamed as tokens",
        )
        .choices(llmFakeProviders),
    )
    .option(
      "--llm-fake-ttft <duration>",
      `with --llm-fake: time to first token (default ${durationForHelp(defaultFirstTokenDelayMs)})`,
      duration,
    )
    .option(
      "--llm-fake-rate <tokens/s>",
      `with --llm-fake: tokens per second (default about ${tokensPerSecond})`,
      positiveNumber,
    )
    .option(
      "--llm-fake-stall <at:duration>",
      "with --llm-fake: pause after <at> tokens, e.g. 20:3s (repeatable)",
      tokenStall,
    )
    .option(
      "--script <file>",
      "with --llm-fake: the replies from this JSON file (text, tool calls, errors, pace)",
    )
    .option(
      "--mcp-fake <file>",
      "be an MCP server (Streamable HTTP at --path, default /mcp) with this file's tools, resources and prompts",
    )
    .option("--replay <file>", "play a recording (listen --record) to each client, from the start")
    .addOption(
      serve
        .createOption(
          "--speed <x>",
          "with --replay: how much faster than recorded, or max (no waits)",
        )
        .argParser(replaySpeed),
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
    .option(
      "--fail-status <code>",
      `fault: the status of --fail-first (default ${defaultFailStatus})`,
      wholeNumber,
    )
    .option(
      "--chunk-split <bytes|random>",
      `fault: send each stream in pieces of this many bytes (or 1-${randomSplitMaxBytes} at random)`,
      splitSize,
    )
    .option("--latency <duration>", "fault: hold every write this long, e.g. 200ms", duration)
    .option(
      "--journal <n>",
      `requests kept for GET /.well-known/sse-tool/requests (default ${defaultJournalSize}; 0 none)`,
      wholeNumber,
    )
    .addHelpText(
      "after",
      `
Input formats (--format auto decides per line):
  lines   each non-empty line is one event's data
  ndjson  {"event","data","id","retry","comment"} per line; listen --json output works
  sse     raw event-stream text, e.g. a saved curl -N capture
  auto    sse if it starts like one; else a JSON object whose keys are all event fields
          (event, data, id, retry, comment, time, source) is an event; other lines are data

Who can connect (docs/security.md):
  serve binds ${defaultHost} and answers only Host names that are loopback, an IP address
  or an --allowed-host (against DNS rebinding). Pages on loopback origins may read and
  publish; a page elsewhere needs --cors <its origin>. Anyone on this machine can
  reach the port: SSE_TOOL_TOKEN or --token-file sets a secret (--token puts it in ps).
  A new client gets live events only; Last-Event-ID: earliest or --replay-history
  sends the kept ones first (the viewer page asks for them).

A test double (docs/test-double.md):
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
  sse-tool serve --llm-fake anthropic --script examples/replies.json
  sse-tool serve --replay examples/stream.jsonl --speed 2   # a listen --record recording
  sse-tool serve --ids --drop-after 5 --chunk-split random examples/events.ndjson   # test a client

${serveExitCodeHelp}`,
    );
}
