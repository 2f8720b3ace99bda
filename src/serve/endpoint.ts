/**
 * What both modes of `serve` (events from the input, src/serve/command.ts; a fake LLM API,
 * src/serve/llm-fake/command.ts) start from: the input source checked, the stderr log lines,
 * and the HTTP endpoint (hub, server, viewer page, publishing, --token) set up, not yet
 * listening.
 */
import { createReadStream } from "node:fs";
import { access, constants } from "node:fs/promises";
import type { Readable } from "node:stream";
import { SseToolError } from "../errors.js";
import { resolveAccessToken } from "./access.js";
import { BroadcastHub } from "./hub.js";
import type { ServeCliOptions } from "./options.js";
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

/** The file argument checked before anything listens: readable, and a file for --loop. */
export async function checkServeSource(
  file: string | undefined,
  options: Pick<ServeCliOptions, "loop">,
): Promise<ServeSource> {
  const fromStdin = file === undefined || file === "-";
  if (options.loop && fromStdin) {
    throw new SseToolError("usage", "--loop needs a file to replay (stdin can be read only once)");
  }
  if (fromStdin) return { fromStdin, name: "<stdin>", open: () => process.stdin };
  try {
    await access(file, constants.R_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new SseToolError("input", `cannot read ${file}: ${reason}`, { cause: error });
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

export function serveLog(options: Pick<ServeCliOptions, "quiet">): ServeLog {
  // Logs must never take the server down: with stderr piped into a reader that went away
  // (`serve 2>&1 | head`), writes fail with EPIPE and are dropped.
  process.stderr.on("error", () => {});
  const say = (message: string) => {
    process.stderr.write(`sse-tool: ${message}\n`);
  };
  return { say, log: options.quiet ? () => {} : say };
}

export interface Endpoint {
  hub: BroadcastHub;
  server: SseServer;
  /** The stream path, with its leading slash. */
  streamPath: string;
  /** The --token / SSE_TOOL_TOKEN secret, if any. */
  token: string | undefined;
}

/** The hub and the HTTP server with the stream, viewer page, publishing and token routes. */
export function createEndpoint(options: ServeCliOptions, { say, log }: ServeLog): Endpoint {
  const streamPath = options.path.startsWith("/") ? options.path : `/${options.path}`;
  const hub = new BroadcastHub({
    historySize: options.history,
    assignIds: options.ids ?? false,
    maxClientBufferBytes: options.maxClientBuffer,
  });
  const server = new SseServer({
    hub,
    host: options.host,
    port: options.port,
    streamPath,
    cors: options.cors,
    ...(options.retry === undefined ? {} : { retryMs: options.retry }),
    heartbeatMs: options.heartbeat,
    log,
    warn: say,
  });
  // Viewer page at /, POST publishing, and the --token guard (src/serve/routes.ts).
  const token = resolveAccessToken(options.token, process.env.SSE_TOOL_TOKEN);
  installServeRoutes(server, {
    hub,
    streamPath,
    ui: options.ui,
    publish: options.publish,
    token,
    ...(options.event === undefined ? {} : { defaultEventType: options.event }),
    log,
  });
  return { hub, server, streamPath, token };
}
