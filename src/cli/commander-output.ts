/**
 * Where commander writes help and usage errors: straight to file descriptors 1 and 2, so that
 * `--help` never builds the process's stream objects (and the stream and socket modules behind
 * them). A reader that has gone away (`sse-tool --help | head -1`) ends the text quietly.
 */
import type { OutputConfiguration } from "commander";

// Not an ES import: that would build node:fs's whole namespace (its promises and streams).
const { fstatSync, statSync, writeSync } = process.getBuiltinModule("node:fs");

/** Commander's own width when no terminal gives one: help piped or saved is the same. */
const offTerminalWidth = 80;

/** Whether fd 1 or 2 is a terminal, asking the stream (which loads tty) only for a device. */
function isTerminal(fd: 1 | 2): boolean {
  try {
    const stat = fstatSync(fd);
    if (!stat.isCharacterDevice() || stat.rdev === statSync("/dev/null").rdev) return false;
  } catch {
    // Windows has no /dev/null, a closed descriptor no stat: the stream knows.
  }
  return (fd === 1 ? process.stdout : process.stderr).isTTY === true;
}

function writeAll(fd: 1 | 2, text: string): void {
  const bytes = Buffer.from(text);
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EPIPE") return;
      if (code !== "EAGAIN") throw error;
      // A non-blocking pipe that is full: the stream waits for it.
      const stream = fd === 1 ? process.stdout : process.stderr;
      stream.on("error", () => {});
      stream.write(bytes.subarray(offset));
      return;
    }
  }
}

/**
 * Terminal control sequences (CSI: `ESC [`, parameters, intermediates, a final byte) taken out
 * of help text, for its width and for output without colour; here rather than node:util's,
 * whose loading touches the process's streams. One pass, no nested repetition: linear time.
 */
const controlSequence = /\x1b\[[0-?]*[ -/]*[@-~]/g;

export function stripControlSequences(text: string): string {
  return text.replace(controlSequence, "");
}

/** Commander's output settings for the program (its subcommands inherit them). */
export const commanderOutput: OutputConfiguration = {
  writeOut: (text) => writeAll(1, text),
  writeErr: (text) => writeAll(2, text),
  stripColor: stripControlSequences,
  getOutHelpWidth: () => (isTerminal(1) ? process.stdout.columns : offTerminalWidth),
  getErrHelpWidth: () => (isTerminal(2) ? process.stderr.columns : offTerminalWidth),
  getOutHasColors: () => colorForced() ?? (isTerminal(1) && process.stdout.hasColors()),
  getErrHasColors: () => colorForced() ?? (isTerminal(2) && process.stderr.hasColors()),
};

/** The environment's say, as commander reads it: NO_COLOR, FORCE_COLOR, CLICOLOR_FORCE. */
function colorForced(): boolean | undefined {
  const { NO_COLOR, FORCE_COLOR, CLICOLOR_FORCE } = process.env;
  if (NO_COLOR || FORCE_COLOR === "0" || FORCE_COLOR === "false") return false;
  if (FORCE_COLOR || CLICOLOR_FORCE !== undefined) return true;
  return undefined;
}
