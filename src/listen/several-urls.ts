/**
 * `sse-tool listen URL URL...`: follows several streams at once, each independently (its own
 * connection, decoder, reconnects and Last-Event-ID), into one stdout. What is shared:
 * - `-n` counts shown events over all streams; reaching it stops every stream;
 * - Ctrl-C stops every stream; `--timeout` starts for all at once, so it bounds the whole run;
 * - a `-d @-` body is read from stdin once and sent to each.
 * Each stream's stderr lines carry its label; each event carries it too (pretty view) or the
 * URL (`--json` "source"). The exit code is the worst of the streams' (see worstExitCode).
 * Each stream is run by the function handed in (src/listen/run.ts, from src/listen/command.ts).
 */
import { setMaxListeners } from "node:events";
import { Readable } from "node:stream";
import { ExitCode, exitCodeFor, isSseToolError } from "../errors.js";
import { readCaCertificateFile } from "../http/ca-certificate-file.js";
import { redactUrl } from "../http/redaction.js";
import { readRequestBody } from "../http/request-body.js";
import { parseHeaderOptions } from "../http/request-headers.js";
import { parseTargetUrl } from "../http/target-url.js";
import { escapeForTerminalLine } from "../terminal/escape.js";
import { onInterrupt } from "../terminal/interrupts.js";
import type { ListenCliOptions } from "./cli.js";
import type { ListenIo } from "./io.js";
import { LinePrefixStream } from "./line-prefix-stream.js";
import { sourceLabels } from "./source-label.js";

/** Runs one stream; `io.source` says which of several it is. */
export type RunStream = (url: string, options: ListenCliOptions, io: ListenIo) => Promise<number>;

/**
 * From least to most serious: a stream that failed outweighs one that timed out, and any
 * failure outweighs the streams that ended well; Ctrl-C (the user's word) outweighs everything.
 */
const exitCodeSeverity: number[] = [
  ExitCode.ok,
  ExitCode.timeout,
  ExitCode.expectation,
  ExitCode.failure,
  ExitCode.usage,
  ExitCode.interrupted,
];

/** The exit code of a run of several streams: the most serious of theirs. */
export function worstExitCode(codes: readonly number[]): number {
  let worst: number = ExitCode.ok;
  for (const code of codes) {
    const rank = exitCodeSeverity.indexOf(code);
    if (rank === -1 || rank > exitCodeSeverity.indexOf(worst)) worst = code;
  }
  return worst;
}

export async function listenMany(
  urls: readonly string[],
  options: ListenCliOptions,
  io: ListenIo,
  runStream: RunStream,
): Promise<number> {
  // Mistakes shared by all streams are said once, before any connection (the options that
  // contradict each other were checked by checkListenOptions).
  for (const url of urls) parseTargetUrl(url);
  parseHeaderOptions(options.header ?? []);
  if (options.cacert !== undefined) await readCaCertificateFile(options.cacert);

  const stdinBody =
    options.data === "@-" ? await readRequestBody("@-", io.stdin ?? process.stdin) : undefined;
  // What is shown of each URL (labels, --json "source"): without its credentials.
  const shownUrls = urls.map(redactUrl);
  const labels = sourceLabels(shownUrls);
  let labelWidth = 0;
  for (const label of labels) labelWidth = Math.max(labelWidth, label.length);
  // Ctrl-C stops every stream; so does -n reached over all of them.
  const interruptAll = new AbortController();
  const allShown = new AbortController();
  // Every stream listens on the shared signals and on stdout ("error", "drain", "close"):
  // many streams are expected here, not a leak.
  setMaxListeners(urls.length + 10, interruptAll.signal, allShown.signal);
  io.stdout.setMaxListeners(io.stdout.getMaxListeners() + urls.length * 4);
  const removeInterruptHandler = onInterrupt(() => interruptAll.abort(), { signal: io.signal });
  let shownEvents = 0;
  const countShownEvent = (): number => {
    shownEvents++;
    if (options.maxEvents !== undefined && shownEvents >= options.maxEvents) allShown.abort();
    return shownEvents;
  };
  // Several LLM replies cannot share one stdout as plain text: events are shown as they are.
  const streamOptions: ListenCliOptions = { ...options, llm: false };

  try {
    const codes = await Promise.all(
      urls.map(async (url, index) => {
        const label = labels[index]!;
        const stderr = new LinePrefixStream(io.stderr, label);
        const errors = io.errors === undefined ? stderr : new LinePrefixStream(io.errors, label);
        try {
          return await runStream(url, streamOptions, {
            ...io,
            stderr,
            stdin: stdinBody === undefined ? io.stdin : Readable.from([stdinBody]),
            signal: interruptAll.signal,
            source: {
              url: shownUrls[index]!,
              label,
              labelWidth,
              countShownEvent,
              allShown: allShown.signal,
            },
          });
        } catch (error) {
          // One stream's failure is reported under its label; the others go on.
          if (isSseToolError(error)) {
            errors.write(`sse-tool: ${escapeForTerminalLine(error.message)}\n`);
            return exitCodeFor(error.code);
          }
          const message = error instanceof Error ? error.message : String(error);
          errors.write(`sse-tool: unexpected error: ${escapeForTerminalLine(message)}\n`);
          return ExitCode.failure;
        }
      }),
    );
    return worstExitCode(codes);
  } finally {
    removeInterruptHandler();
  }
}
