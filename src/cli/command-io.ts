/**
 * Where a command reads and writes: the process's own streams on the command line, others handed
 * in by tests and in-process callers, so every command can be run without touching `process`.
 */
import type { Readable, Writable } from "node:stream";

export interface CommandIo {
  /** Data only (events, reports). */
  stdout: Writable & { isTTY?: boolean };
  /** Progress, warnings and errors. */
  stderr: Writable & { isTTY?: boolean };
  /** Read only when a command needs it (`-d @-`, serve's input); the process's when not given. */
  stdin?: Readable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** Aborting it stops the command as Ctrl-C does; without it, process signals are handled. */
  signal?: AbortSignal;
}

/** The process's own streams; stdin is left to be opened only by a command that reads it. */
export function processIo(): CommandIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}
