/**
 * The command boundary: the only place where an error becomes a one-line message on stderr
 * and an exit code. Sets `process.exitCode` rather than calling `process.exit()`, so pending
 * output is flushed.
 */

import { ExitCode, exitCodeFor, isSseToolError } from "../errors.js";
import { escapeForTerminal, escapeForTerminalLine } from "../terminal/escape.js";

/** A command's work: resolves to an exit code (default 0) or throws an SseToolError. */
export type CommandAction = () => Promise<number | undefined>;

export async function runCommand(action: CommandAction): Promise<void> {
  endQuietlyWhenStdoutCloses();
  try {
    process.exitCode = (await action()) ?? ExitCode.ok;
  } catch (error) {
    const verbose = process.argv.includes("-v") || process.argv.includes("--verbose");
    if (isSseToolError(error)) {
      // Messages quote URLs, headers and bodies from the user and the server: escaped here.
      process.stderr.write(`sse-tool: ${escapeForTerminalLine(error.message)}\n`);
      if (verbose && error.cause) {
        process.stderr.write(`${escapeForTerminal(describeCause(error.cause))}\n`);
      }
      process.exitCode = exitCodeFor(error.code);
    } else {
      process.stderr.write(
        `sse-tool: unexpected error: ${escapeForTerminal(describeCause(error, verbose))}\n`,
      );
      process.exitCode = ExitCode.failure;
    }
  }
}

function describeCause(error: unknown, withStack = true): string {
  if (error instanceof Error) return withStack && error.stack ? error.stack : error.message;
  return String(error);
}

/**
 * A reader that stops early (`sse-tool completion bash | head -1`) closes the pipe: a normal
 * end, not a crash. A command that streams (listen) handles its stdout itself, by the same rule.
 */
function endQuietlyWhenStdoutCloses(): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (process.stdout.listenerCount("error") > 1) return;
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? ExitCode.ok);
  });
}
