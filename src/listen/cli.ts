/**
 * `sse-tool listen`'s declaration: its flags and help, the type of their values, and the
 * defaults an in-process caller starts from, together. The command line (src/main.ts) runs it
 * with command.ts.
 */
import type { Command } from "commander";
import { durationForHelp, sizeForHelp, sizeInWords } from "../cli/help-values.js";
import { byteSize, collect, duration, secondsToMs, wholeNumber } from "../cli/option-values.js";
import {
  addRequestOptions,
  connectTimeoutOption,
  defaultRetryMs,
  retryOption,
} from "../cli/request-options.js";
import { exitCodeHelp } from "../errors.js";
import type { RequestCliOptions } from "../http/request.js";
import { defaultMaxEventSizeBytes } from "../sse/event-size.js";
import { defaultMinReconnectDelayMs } from "../sse/reconnect-policy.js";
import { type TimeColumnMode, timeColumnModes } from "./output/time-column.js";

/** Gaps between LLM chunks longer than this are stalls when --llm-stall is not given. */
export const defaultLlmStallMs = 1000;
/** Data longer than this (UTF-16 code units) is shortened unless --full: a screenful or two. */
export const maxShownDataLength = 16 * 1024;
/** What is shown of shortened data. */
export const shortenedDataLength = 2 * 1024;

/** Time to connect and to receive the response headers when --connect-timeout is not given. */
export const defaultConnectTimeoutMs = 30_000;

export interface ListenCliOptions extends RequestCliOptions {
  json?: boolean;
  raw?: boolean;
  comments?: boolean;
  event?: string[];
  maxEvents?: number;
  timeout?: number;
  idleTimeout?: number;
  /** Milliseconds allowed for connecting and for the response headers. */
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
  /** --llm (true), --no-llm (false), or chosen from the first decisive event (undefined). */
  llm?: boolean;
  /** --llm-stall: gaps between LLM chunks longer than this many ms count as stalls. */
  llmStall?: number;
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
  /** --record: write what the connection carries to this file (src/listen/record.ts). */
  record?: string;
  /** -i, --include: the response status line and headers on stderr before the events. */
  include?: boolean;
  /** -o, --output: write the events to this file instead of stdout (`-` is stdout). */
  output?: string;
  /** -s, --silent (and -q, --quiet): nothing on stderr but errors. */
  silent?: boolean;
  quiet?: boolean;
  /** --time: what the pretty view's time column shows (default clock). */
  time?: TimeColumnMode;
  /** --full: show very large data whole in the pretty view instead of shortened. */
  full?: boolean;
  /** --json-data: --json lines carry data that is a JSON object or array parsed. */
  jsonData?: boolean;
  /** --accept-any-type: read a response of another Content-Type as an event stream. */
  acceptAnyType?: boolean;
}

/** The options `sse-tool listen URL` runs with when no flag is given (for in-process callers). */
export const listenDefaults: ListenCliOptions = {
  retry: defaultRetryMs,
  reconnect: true,
  maxEventSize: defaultMaxEventSizeBytes,
  color: true,
};

/** Declares `listen` on the program; the caller adds the action. */
export function declareListen(program: Command): Command {
  const listen = addRequestOptions(
    program
      .command("listen")
      .description("Connect to SSE endpoints and show each event as it arrives.")
      .argument(
        "<url...>",
        "the event-stream URL (http:// when no scheme is given: localhost:8080/events); several are followed at once; - reads a captured stream from stdin, and a file (./x, /x, file:, or a name that exists) a raw capture or a --record recording",
      ),
    true,
  );
  return listen
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
      listen
        .createOption(
          "--time <mode>",
          "time column: clock, relative (since start), delta (since the previous event) or none",
        )
        .choices(timeColumnModes)
        .default("clock"),
    )
    .option(
      "--full",
      `show data longer than ${sizeInWords(maxShownDataLength)} whole (default: its first ${sizeInWords(shortenedDataLength)} and its size)`,
    )
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
    .addOption(connectTimeoutOption(listen, durationForHelp(defaultConnectTimeoutMs)))
    .addOption(
      retryOption(
        listen,
        `reconnection time until the server sends retry: (at least ${durationForHelp(defaultMinReconnectDelayMs)} is waited; a bare number is milliseconds)`,
      ),
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
      listen
        .createOption(
          "--max-event-size <bytes>",
          "largest line or event, e.g. 64KiB; a larger one is skipped with a warning (exit 1 at the end)",
        )
        .argParser(byteSize)
        .default(defaultMaxEventSizeBytes, sizeForHelp(defaultMaxEventSizeBytes)),
    )
    .option("--no-color", "no colours (also NO_COLOR=1; FORCE_COLOR=1 forces them)")
    .option("-v, --verbose", "show request, response headers and reconnect details on stderr")
    .option("-i, --include", "show the response status line and headers on stderr first")
    .option("-o, --output <file>", "write the events to this file; progress stays on stderr")
    .option("-s, --silent", "nothing on stderr but errors (also -q)")
    .addOption(listen.createOption("-q, --quiet").hideHelp())
    .option(
      "--llm",
      "assemble an LLM token stream (OpenAI, Azure, Anthropic, Gemini, Cohere, Vercel AI, " +
        "OpenAI-compatible): the answer on stdout, timings on stderr",
    )
    .option("--no-llm", "do not switch to the LLM view when the stream looks like one")
    .option(
      "--llm-stall <duration>",
      `with the LLM view, report gaps between chunks longer than this as stalls, e.g. 500ms (default ${durationForHelp(defaultLlmStallMs)})`,
      duration,
    )
    .option("--stats", "counts per type, rate, bytes, gaps and reconnects on stderr")
    .option(
      "--expect-event <type>",
      "this event type must arrive, else exit 4 (repeatable)",
      collect,
    )
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
  curl -sN https://example.com/events | sse-tool listen -          # a stream from a pipe
  sse-tool listen --expect-event done examples/capture.sse         # a capture or a recording

${exitCodeHelp}`,
    );
}
