/**
 * What the two commands (`serve`, command.ts; `serve --llm-fake`, llm-fake-command.ts) do
 * around the server: check the input source, write their stderr lines, announce the server
 * once it listens, and stop on the same signals.
 */
import { createReadStream } from "node:fs";
import { access, constants } from "node:fs/promises";
import type { Readable, Writable } from "node:stream";
import { SseToolError } from "../errors.js";
import { isLoopbackHost } from "../http/loopback.js";
import { escapeForTerminalLine } from "../terminal/escape.js";
import type { ServeAccess } from "./access/serve-access.js";
import type { ServeCliOptions } from "./cli.js";
import { followFile } from "./input/follow.js";

/** SIGINT (Ctrl-C) and SIGTERM (a service manager) both close the server cleanly. */
export const serveStopSignals: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM"];

export interface ServeSource {
  fromStdin: boolean;
  /** `<stdin>` or the file name, for log lines and warnings. */
  name: string;
  /** Opens the source for one read (again for each --loop pass). */
  open(): Readable;
}

/**
 * The file argument checked before anything listens: readable, a file for --loop and
 * --follow; with --follow it is read as it grows.
 */
export async function checkServeSource(
  file: string | undefined,
  options: Pick<ServeCliOptions, "loop" | "follow" | "poll">,
  warn: (message: string) => void = () => {},
  stdin: () => Readable = () => process.stdin,
): Promise<ServeSource> {
  const fromStdin = file === undefined || file === "-";
  if (options.loop && fromStdin) {
    throw new SseToolError("usage", "--loop needs a file to replay (stdin can be read only once)");
  }
  if (options.follow && fromStdin) {
    throw new SseToolError("usage", "--follow needs a file (stdin is read as it comes anyway)");
  }
  if (options.follow && options.loop) {
    throw new SseToolError("usage", "--follow and --loop: a followed file never ends to loop");
  }
  if (fromStdin) return { fromStdin, name: "<stdin>", open: stdin };
  try {
    await access(file, constants.R_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new SseToolError("input", `cannot read ${file}: ${reason}`, { cause: error });
  }
  if (options.follow) {
    const pollMs = options.poll;
    const onTruncated = () => warn(`${file} was truncated: reading it again from the start`);
    return { fromStdin, name: file, open: () => followFile(file, { pollMs, onTruncated }) };
  }
  return {
    fromStdin,
    name: file,
    open: () => createReadStream(file, { highWaterMark: 64 * 1024 }),
  };
}

export interface ServeLog {
  /** A line on stderr, always. */
  say(message: string): void;
  /** Connect/publish/progress lines: a no-op with --quiet. */
  log(message: string): void;
}

export function serveLog(
  options: Pick<ServeCliOptions, "quiet">,
  stderr: Writable = process.stderr,
): ServeLog {
  // Logs must never take the server down: with stderr piped into a reader that went away
  // (`serve 2>&1 | head`), writes fail with EPIPE and are dropped.
  stderr.on("error", () => {});
  // Every line may carry what a client or the input chose (a Last-Event-ID, a model name, a
  // Host, V8's JSON error quoting a line): each goes through the one escaper, one line each.
  const say = (message: string) => {
    stderr.write(`sse-tool: ${escapeForTerminalLine(message)}\n`);
  };
  return { say, log: options.quiet ? () => {} : say };
}

/**
 * The lines both modes print once listening: the stream URL, the viewer page's URL (with the
 * token filled in when it came from the command line, so the link works as printed; a token
 * from a file or the environment is not printed), and what the options open up.
 */
export function announceEndpoint(
  url: string,
  options: Pick<ServeCliOptions, "ui" | "host" | "cors">,
  serveAccess: ServeAccess,
  streamPath: string,
  { say, log }: ServeLog,
): void {
  say(`serving ${url}`);
  const { token } = serveAccess;
  if (options.ui && streamPath !== "/") {
    const page = `${new URL(url).origin}/`;
    if (token === undefined) log(`viewer page: ${page}`);
    else if (token.source === "option") {
      log(`viewer page: ${page}?token=${encodeURIComponent(token.token)}`);
    } else {
      const from = token.source === "file" ? "--token-file" : "SSE_TOOL_TOKEN";
      log(`viewer page: ${page} (add ?token= with the token from ${from})`);
    }
  }
  if (!isLoopbackHost(options.host) && token === undefined) {
    say(
      `warning: listening on ${options.host} without a token: anyone who can reach this machine can read and publish (--token-file or SSE_TOOL_TOKEN sets one)`,
    );
  }
  const cors = Array.isArray(options.cors) ? options.cors : [];
  if (cors.includes("*")) {
    say(
      "warning: --cors '*': any web page open in a browser on this machine can read this stream and publish to it",
    );
  } else if (cors.includes("null")) {
    say(
      "warning: --cors null: sandboxed and file:// pages, from any site, can read this stream and publish to it",
    );
  }
}
