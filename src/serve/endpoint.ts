/**
 * The endpoint `serve` opens: the HTTP server (http/sse-server.ts) with its feed (the hub, or a
 * replay), its faults and serve's own routes (viewer page, publishing, --token), listening.
 * The `serve` command and the library's startServer() open it with openServer(); `serve
 * --llm-fake` builds it with createEndpoint() and adds its routes before it listens.
 */
import { SseToolError } from "../errors.js";
import type { OutgoingEvent } from "../sse/encoder.js";
import type { ServeAccess } from "./access/serve-access.js";
import type { ServeCliOptions } from "./cli.js";
import type { ServeLog } from "./command-setup.js";
import { faultOptionsProblem } from "./faults/fault-options.js";
import { Faults } from "./faults/faults.js";
import type { StreamFeed } from "./feeds/feed.js";
import { BroadcastHub } from "./feeds/hub.js";
import { ReplayFeed } from "./feeds/replay.js";
import { installServeRoutes } from "./http/serve-routes.js";
import { SseServer } from "./http/sse-server.js";
import { loadReplayPlan } from "./input/recording.js";
import {
  type RunningServer,
  type ServerEvent,
  type ServerOptions,
  serverDefaults,
} from "./library-options.js";

/** How long closing waits for clients to take the bytes already written to them. */
export const closeFlushTimeoutMs = 5_000;

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
  // Viewer page at /, POST publishing, and the --token guard (http/serve-routes.ts).
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

/** What `serve` needs besides the library's handle: the hub for its input, and the server. */
export interface OpenedServer extends RunningServer {
  hub: BroadcastHub | undefined;
  server: SseServer;
  streamPath: string;
}

/**
 * The server, listening: startServer() for the library, and `serve` with its access already
 * decided (token from a file or the environment) and its own log lines.
 */
export async function openServer(
  options: ServerOptions,
  access: ServeAccess,
  logs: ServeLog,
): Promise<OpenedServer> {
  checkServerOptions(options);
  // Serve's options that are given; startServer()'s defaults for the rest.
  const endpointOptions = { ...serverDefaults, ...definedOnly(options) };
  const feed =
    options.replay === undefined
      ? undefined
      : new ReplayFeed(await loadReplayPlan(options.replay, logs.say), {
          speed: options.speed ?? 1,
          loop: options.loop ?? false,
          warn: logs.say,
        });
  const faults = new Faults(options, logs.say);
  const { hub, server, streamPath } = createEndpoint(endpointOptions, access, logs, {
    ...(feed === undefined ? {} : { feed }),
    faults,
  });
  const url = await server.listen();
  return {
    url,
    hub,
    server,
    streamPath,
    get clientCount() {
      return server.clientCount;
    },
    publish: (event: ServerEvent) => {
      if (hub === undefined) {
        throw new SseToolError(
          "usage",
          "a replaying server sends its recording; nothing is published",
        );
      }
      const result = hub.publish([outgoing(event)]);
      const rejected = result.rejected[0];
      if (rejected !== undefined)
        throw new SseToolError("usage", `cannot publish: ${rejected.reason}`);
      return result.published[0]?.id;
    },
    close: () => server.close(closeFlushTimeoutMs),
  };
}

/** Fault and replay options that make no sense are a usage error (exit 2). */
export function checkServerOptions(options: ServerOptions): void {
  const problem = faultOptionsProblem(options) ?? replayOptionsProblem(options);
  if (problem !== undefined) throw new SseToolError("usage", problem);
}

/** Why the replay options cannot be used, or undefined when they can. */
function replayOptionsProblem(options: ServerOptions): string | undefined {
  const speed = options.speed;
  if (
    speed !== undefined &&
    speed !== "max" &&
    !(typeof speed === "number" && speed > 0 && Number.isFinite(speed))
  ) {
    return '--speed must be a number greater than 0, or "max"';
  }
  if (options.replay === undefined) {
    if (speed !== undefined) return "--speed applies to --replay";
    return undefined;
  }
  if (options.retry !== undefined)
    return "--retry adds bytes to the stream; a replay sends only the recorded ones";
  if (options.ids || options.replayHistory) {
    return "--ids and --replay-history are for published events; a replay sends the recording";
  }
  return undefined;
}

/** An event as given to publish(), for the hub: JSON text for data that is not a string. */
function outgoing(event: ServerEvent): OutgoingEvent {
  const { data, ...rest } = event;
  if (data === undefined) return rest;
  return { ...rest, data: typeof data === "string" ? data : JSON.stringify(data) };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, item]) => item !== undefined),
  ) as Partial<T>;
}
