/**
 * `sse-tool listen URL [URL...]`: one stream (src/listen/run.ts), or several followed at once
 * (src/listen/several-urls.ts), each decoded as a browser's EventSource decodes it.
 */

import { applyStreamingRuntimeFlags } from "../http/runtime-flags.js";
import {
  checkListenOptions,
  type ListenCliOptions,
  type ListenIo,
  listenDefaults,
} from "./options.js";
import { runListen } from "./run.js";
import { listenMany } from "./several-urls.js";

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
  return runListen(all[0]!, merged, io);
}

/** The process's own streams. */
function processIo(): ListenIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}
