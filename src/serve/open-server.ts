/**
 * The server of `serve`, listening: the endpoint (endpoint.ts) with its feed (the hub, or a
 * replay) and faults, from startServer()'s options. The library's startServer() and the
 * `serve` command both start it here; `serve` also takes the hub, for its input pump.
 */
import { SseToolError } from "../errors.js";
import type { OutgoingEvent } from "../sse/encoder.js";
import {
  closeFlushTimeoutMs,
  createEndpoint,
  type ServeAccess,
  type ServeLog,
} from "./endpoint.js";
import { faultOptionsProblem } from "./fault-options.js";
import { Faults } from "./faults.js";
import type { BroadcastHub } from "./hub.js";
import { loadReplayPlan, ReplayFeed } from "./replay.js";
import type { SseServer } from "./server.js";
import type { RunningServer, ServerEvent, ServerOptions } from "./server-options.js";

/** What `serve` needs besides the library's handle: the hub for its input, and the server. */
export interface OpenedServer extends RunningServer {
  hub: BroadcastHub | undefined;
  server: SseServer;
  streamPath: string;
}

/** startServer()'s defaults; `serve`'s come from its command line. */
const libraryDefaults = {
  host: "127.0.0.1",
  port: 0,
  path: "/events",
  history: 1000,
  heartbeat: 15_000,
  maxClientBuffer: 8 * 1024 ** 2,
  ui: true,
  publish: true,
};

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
  const endpointOptions = { ...libraryDefaults, ...definedOnly(options) };
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
