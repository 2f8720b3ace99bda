/**
 * The observer the command shows a session through: notes, notifications and server requests
 * always on stderr; with -v every HTTP head, SSE frame and message; in `watch`, what the server
 * sends goes to stdout as data. Every line passes the one escaper.
 */
import type { ChalkInstance } from "chalk";
import { escapeForTerminalLine, escapeJsonForTerminal } from "../../terminal/escape.js";
import type { McpObserver, MessageSeen } from "../session/observer.js";
import { formatMessage } from "./messages.js";

export interface LiveViewOptions {
  verbose: boolean;
  json: boolean;
  /** `watch`: messages from the server are the output (stdout). */
  watching: boolean;
  chalk: ChalkInstance;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
}

export function liveView(options: LiveViewOptions): McpObserver {
  const { chalk, stderr } = options;
  const line = (text: string) => stderr.write(`${escapeForTerminalLine(text)}\n`);
  const dim = (text: string) => stderr.write(`${chalk.dim(escapeForTerminalLine(text))}\n`);
  return {
    http: options.verbose ? (lines) => lines.forEach(dim) : undefined,
    frame: options.verbose
      ? (frame) => dim(`  [${frame.stream}] id=${frame.id} event=${frame.type} data=${frame.data}`)
      : undefined,
    message: (seen: MessageSeen) => {
      if (options.watching && seen.direction === "received" && seen.message.kind !== "response") {
        writeWatched(options, seen);
        return;
      }
      // Without -v: what the server says of itself (notifications, its requests) and our answers.
      const { kind } = seen.message;
      const shownAnyway = seen.direction === "received" ? kind !== "response" : kind === "response";
      if (!options.verbose && !shownAnyway) return;
      line(formatMessage(seen));
    },
    note: (text) => stderr.write(`${chalk.yellow("sse-tool:")} ${escapeForTerminalLine(text)}\n`),
  };
}

function writeWatched(options: LiveViewOptions, seen: MessageSeen): void {
  if (options.json) {
    const json = JSON.stringify({
      ...(seen.eventId === undefined ? {} : { eventId: seen.eventId }),
      ...seen.message.message,
    });
    options.stdout.write(`${options.stdout.isTTY ? escapeJsonForTerminal(json) : json}\n`);
  } else {
    options.stdout.write(`${escapeForTerminalLine(formatMessage(seen))}\n`);
  }
}
