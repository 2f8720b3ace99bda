/**
 * `sse-tool listen URL [URL...]`: one stream (src/listen/run.ts), or several followed at once
 * (src/listen/several-urls.ts), each decoded as a browser's EventSource decodes it.
 */
import { SseToolError } from "../errors.js";
import { applyStreamingRuntimeFlags } from "../http/runtime-flags.js";
import { parseTargetUrl } from "../http/target-url.js";
import {
  checkListenOptions,
  type ListenCliOptions,
  type ListenIo,
  listenDefaults,
} from "./options.js";
import { startRecording } from "./record.js";
import { runListen } from "./run.js";
import { listenMany } from "./several-urls.js";
import { joinTaps } from "./tap.js";

/** `sse-tool listen` as the command line runs it: the process start-up step, then listen(). */
export function listenCommand(urls: readonly string[], options: ListenCliOptions): Promise<number> {
  applyStreamingRuntimeFlags();
  return listen(urls, options);
}

/** Follows the URLs; resolves to the exit code or throws an SseToolError. */
export async function listen(
  urls: string | readonly string[],
  options: ListenCliOptions,
  io: ListenIo = processIo(),
): Promise<number> {
  const all = typeof urls === "string" ? [urls] : urls;
  const merged = { ...listenDefaults, ...options };
  checkListenOptions(merged, all.length);
  if (all.length > 1) return listenMany(all, merged, io, runListen);
  if (merged.record === undefined) return runListen(all[0]!, merged, io);
  return recordedRun(all[0]!, merged, io, merged.record);
}

/** One stream with --record: the recording is a tap on the run, closed when it ends. */
async function recordedRun(
  url: string,
  options: ListenCliOptions,
  io: ListenIo,
  file: string,
): Promise<number> {
  // A mistyped URL is said before the file is created.
  parseTargetUrl(url);
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

/** The process's own streams. */
function processIo(): ListenIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}
