/**
 * `listen --record <file>`: a tap on the run (tap.ts) that writes each request, response head,
 * body chunk and disconnect to a recording (src/recording/format.ts), one line at a time with a
 * synchronous write, so whatever was received is in the file the moment it was: Ctrl-C, a kill
 * or a crash loses nothing already read. The file is created readable by its owner only (it
 * holds the stream's data).
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { SseToolError } from "../errors.js";
import {
  chunkLine,
  type DisconnectReason,
  disconnectLine,
  recordingHeaderLine,
  requestLine,
  responseLine,
} from "../recording/format.js";
import type { ListenTap, TappedRequest, TappedResponse } from "./tap.js";

export interface Recorder extends ListenTap {
  /** Why writing stopped, if it did (a full disk): the run goes on, the command then fails. */
  readonly failure: Error | undefined;
  /** Closes the file. */
  close(): void;
}

/**
 * Creates (or truncates) the recording file and writes its first line. `warn` is told once when
 * writing fails later. A file that cannot be created is an input error (exit 1), before
 * anything is sent.
 */
export function startRecording(path: string, warn: (line: string) => void): Recorder {
  let fd: number | undefined;
  try {
    fd = openSync(path, "w", 0o600);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new SseToolError("input", `cannot write the recording ${path}: ${reason}`, {
      cause: error,
    });
  }
  // Times count from the first request: the request that all the recorded gaps follow.
  let startedAt: number | undefined;
  let failure: Error | undefined;
  const since = () => {
    startedAt ??= performance.now();
    return Math.round(performance.now() - startedAt);
  };
  const write = (line: string) => {
    if (fd === undefined) return;
    try {
      const bytes = Buffer.from(line);
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written);
    } catch (error) {
      failure = error as Error;
      closeQuietly(fd);
      fd = undefined;
      warn(`sse-tool: cannot write the recording ${path} any more: ${failure.message}`);
    }
  };
  write(recordingHeaderLine(new Date()));
  return {
    get failure() {
      return failure;
    },
    request: (request: TappedRequest) => write(requestLine(since(), request)),
    response: (response: TappedResponse) => write(responseLine(since(), response)),
    chunk: (bytes: Buffer) => write(chunkLine(since(), bytes)),
    disconnect: (reason: DisconnectReason, detail?: string) =>
      write(disconnectLine(since(), reason, detail)),
    close: () => {
      if (fd !== undefined) closeQuietly(fd);
      fd = undefined;
    },
  };
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Nothing left to do for a file that cannot be closed.
  }
}
