/**
 * `sse-tool listen URL [URL...]`: one stream (src/listen/run.ts), or several followed at once
 * (src/listen/several-urls.ts), each decoded as a browser's EventSource decodes it.
 */
import { Writable } from "node:stream";
import { type OfflineSource, offlineSource, offlineSourceName } from "../cli/capture-argument.js";
import { processIo } from "../cli/command-io.js";
import { SseToolError } from "../errors.js";
import { parseTargetUrl } from "../http/target-url.js";
import { escapeForTerminalLine } from "../terminal/escape.js";
import { type ListenCliOptions, listenDefaults } from "./cli.js";
import type { ListenIo } from "./io.js";
import { openOfflineInput } from "./offline/input.js";
import { refuseUrlOnlyOptions } from "./offline/option-refusals.js";
import { checkListenOptions } from "./option-checks.js";
import { closeOutputFile, openOutputFile } from "./output/output-file.js";
import { startRecording } from "./record.js";
import { runListen, runListenOffline } from "./run.js";
import { listenMany } from "./several-urls.js";
import { joinTaps } from "./tap.js";

/**
 * `sse-tool listen` as the command line runs it: listen() with the command's streams, stdout
 * replaced by the -o file and stderr quieted by -s.
 */
export async function listenCommand(
  urls: readonly string[],
  options: ListenCliOptions,
  commandIo = processIo(),
): Promise<number> {
  const io: ListenIo = { ...commandIo };
  if (options.silent || options.quiet) {
    // -s/-q: nothing on stderr but errors (thrown, told by the command boundary; one stream's
    // error among several goes to `errors`).
    io.errors = io.stderr;
    io.stderr = new Writable({ write: (_chunk, _encoding, done) => done() });
  }
  const file = options.output;
  if (file === undefined || file === "-") return listen(urls, options, io);
  // A mistyped URL or a bad option is said before the file is created.
  const given = urls.map((url) => (offlineSource(url) === undefined ? parseTargetUrl(url) : url));
  checkListenOptions({ ...listenDefaults, ...options }, given.length);
  const output = await openOutputFile(file);
  try {
    return await listen(urls, options, { ...io, stdout: output });
  } finally {
    await closeOutputFile(output);
  }
}

/** Follows the URLs; resolves to the exit code or throws an SseToolError. */
export async function listen(
  urls: string | readonly string[],
  options: ListenCliOptions,
  io: ListenIo = processIo(),
): Promise<number> {
  const given = typeof urls === "string" ? [urls] : urls;
  const merged = { ...listenDefaults, ...options };
  if (merged.jsonData) merged.json = true;
  checkListenOptions(merged, given.length);
  const offline = given.map((argument) => offlineSource(argument));
  const first = offline[0];
  if (first !== undefined) {
    if (given.length > 1) {
      throw new SseToolError("usage", "a capture (- or a file) is read alone; give it no URL");
    }
    return readCapture(first, merged, io);
  }
  if (offline.some((source) => source !== undefined)) {
    throw new SseToolError("usage", "a capture (- or a file) is read alone; give it no URL");
  }
  // `localhost:8080/events` means http:// (as HTTPie reads it): every URL is checked and
  // completed once, before anything is read or connected.
  const all = given.map((url) => parseTargetUrl(url).href);
  if (all.length > 1) return listenMany(all, merged, io, runListen);
  if (merged.record === undefined) return runListen(all[0]!, merged, io);
  return recordedRun(all[0]!, merged, io, merged.record);
}

/** `listen -`, `listen capture.sse`, `listen stream.jsonl`: what was captured, read back. */
async function readCapture(
  source: OfflineSource,
  options: ListenCliOptions,
  io: ListenIo,
): Promise<number> {
  const name = offlineSourceName(source);
  refuseUrlOnlyOptions(options, name);
  const say = (line: string) => io.stderr.write(`${escapeForTerminalLine(line)}\n`);
  const input = await openOfflineInput(source, io.stdin ?? process.stdin, say);
  if (options.include && input.recordingStartedMs === undefined) {
    input.close();
    throw new SseToolError(
      "usage",
      `-i shows the response head; ${name} is a raw stream without one (a --record recording has it)`,
    );
  }
  if (options.raw && input.recordingStartedMs === undefined) {
    say(`sse-tool: --raw writes ${name} back unchanged: it already is the raw stream`);
  }
  return runListenOffline(input, options, io);
}

/** One stream with --record: the recording is a tap on the run, closed when it ends. */
async function recordedRun(
  url: string,
  options: ListenCliOptions,
  io: ListenIo,
  file: string,
): Promise<number> {
  const recorder = startRecording(file, (line) => io.stderr.write(`${line}\n`));
  let code: number;
  try {
    code = await runListen(url, options, { ...io, tap: joinTaps(io.tap, recorder) });
  } finally {
    recorder.close();
  }
  if (recorder.failure !== undefined) {
    throw new SseToolError(
      "input",
      `the recording ${file} is incomplete: ${recorder.failure.message}`,
    );
  }
  return code;
}
