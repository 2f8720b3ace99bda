/**
 * What both modes of `serve` (events from the input, src/serve/command.ts; a fake LLM API,
 * src/serve/llm-fake/command.ts) start from: who may connect (origins, hosts, the token),
 * the input source checked, the stderr log lines, and the HTTP endpoint (hub, server, viewer
 * page, publishing, --token) set up, then announced once it listens.
 */
import { createReadStream } from "node:fs";
import { access, constants, readFile } from "node:fs/promises";
import type { Readable, Writable } from "node:stream";
import { SseToolError } from "../errors.js";
import { canonicalHost, isIpLiteral, isLoopbackHost } from "../http/loopback.js";
import { escapeForTerminalLine } from "../terminal/escape.js";
import {
  allowedHostProblem,
  chooseAccessToken,
  corsValueProblem,
  type OriginPolicy,
  originPolicy,
  type TokenChoice,
} from "./access.js";
import type { ServeCliOptions } from "./cli.js";
import type { Faults } from "./faults.js";
import type { StreamFeed } from "./feed.js";
import { BroadcastHub } from "./hub.js";
import { followFile } from "./input/follow.js";
import { installServeRoutes } from "./routes.js";
import { SseServer } from "./server.js";

/** How long closing waits for clients to take the bytes already written to them. */
export const closeFlushTimeoutMs = 5_000;

/** SIGINT (Ctrl-C) and SIGTERM (a service manager) both close the server cleanly. */
export const serveStopSignals: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM"];

export interface ServeSource {
  fromStdin: boolean;
  /** `<stdin>` or the file name, for log lines and warnings. */
  name: string;
  /** Opens the source for one read (again for each --loop pass). */
  open(): Readable;
}

/** Who may use the endpoint, decided from the options before anything listens. */
export interface ServeAccess {
  origins: OriginPolicy;
  /** `--allowed-host` names, and the `--host` name when it is one. */
  allowedHosts: string[];
  token: TokenChoice | undefined;
}

/**
 * The access options checked and the token read (`--token`, `--token-file`, `SSE_TOOL_TOKEN`):
 * a bad value is a usage error, an unreadable token file an input error.
 */
export async function checkServeAccess(
  options: Pick<ServeCliOptions, "cors" | "allowedHost" | "host" | "token" | "tokenFile">,
  environment: NodeJS.ProcessEnv,
): Promise<ServeAccess> {
  for (const value of Array.isArray(options.cors) ? options.cors : []) {
    const problem = corsValueProblem(value);
    if (problem !== undefined) throw new SseToolError("usage", problem);
  }
  const allowedHosts: string[] = [];
  for (const value of options.allowedHost ?? []) {
    const problem = allowedHostProblem(value);
    if (problem !== undefined) throw new SseToolError("usage", problem);
    allowedHosts.push(value.toLowerCase());
  }
  const boundHost = canonicalHost(options.host);
  if (boundHost !== undefined && !isIpLiteral(boundHost)) allowedHosts.push(boundHost);
  let file: { path: string; text: string } | undefined;
  if (options.tokenFile !== undefined) {
    try {
      file = { path: options.tokenFile, text: await readFile(options.tokenFile, "utf8") };
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
      throw new SseToolError("input", `cannot read --token-file ${options.tokenFile}: ${reason}`, {
        cause: error,
      });
    }
  }
  const token = chooseAccessToken({
    option: options.token,
    file,
    environment: environment.SSE_TOOL_TOKEN,
  });
  if (typeof token === "string") throw new SseToolError("usage", token);
  return { origins: originPolicy(options.cors), allowedHosts, token };
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

export interface Endpoint {
  /** The hub of the streams; undefined when a replay feeds them. */
  hub: BroadcastHub | undefined;
  server: SseServer;
  /** The stream path, with its leading slash. */
  streamPath: string;
}

/** What the endpoint is built from: serve's options, or the library's startServer() ones. */
export type EndpointOptions = Pick<
  ServeCliOptions,
  | "path"
  | "history"
  | "ids"
  | "maxClientBuffer"
  | "host"
  | "port"
  | "replayHistory"
  | "retry"
  | "heartbeat"
  | "ui"
  | "publish"
  | "event"
>;

/** What feeds the streams besides the hub, and what faults act on them. */
export interface EndpointParts {
  /** A replay's feed; the streams then have no hub and nothing is published. */
  feed?: StreamFeed;
  faults?: Faults;
}

/** The hub and the HTTP server with the stream, viewer page, publishing and token routes. */
export function createEndpoint(
  options: EndpointOptions,
  serveAccess: ServeAccess,
  { say, log }: ServeLog,
  parts: EndpointParts = {},
): Endpoint {
  const streamPath = options.path.startsWith("/") ? options.path : `/${options.path}`;
  const hub =
    parts.feed === undefined
      ? new BroadcastHub({
          historySize: options.history,
          assignIds: options.ids ?? false,
          maxClientBufferBytes: options.maxClientBuffer,
        })
      : undefined;
  const server = new SseServer({
    ...(hub === undefined ? {} : { hub }),
    ...(parts.feed === undefined ? {} : { feed: parts.feed }),
    ...(parts.faults === undefined ? {} : { faults: parts.faults }),
    host: options.host,
    port: options.port,
    streamPath,
    origins: serveAccess.origins,
    allowedHosts: serveAccess.allowedHosts,
    replayHistory: options.replayHistory ?? false,
    ...(options.retry === undefined ? {} : { retryMs: options.retry }),
    heartbeatMs: options.heartbeat,
    log,
    warn: say,
  });
  // Viewer page at /, POST publishing, and the --token guard (src/serve/routes.ts).
  installServeRoutes(server, {
    hub,
    streamPath,
    ui: options.ui,
    // A replay has nothing to publish into.
    publish: options.publish && hub !== undefined,
    token: serveAccess.token?.token,
    ...(options.event === undefined ? {} : { defaultEventType: options.event }),
    log,
  });
  return { hub, server, streamPath };
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
