/**
 * `startServer(options)` for test code (`import { startServer } from "sse-tool"`): the server
 * `sse-tool serve` runs (endpoint.ts), with its history, ids, faults, replay, token and its
 * safe defaults (loopback only, loopback origins, Host checked), on a free port unless told
 * otherwise; events are published from code. Nothing is printed: log lines go to `onLog`.
 */
import { checkServeAccess } from "./access/serve-access.js";
import { openServer } from "./endpoint.js";
import type { RunningServer, ServerOptions } from "./library-options.js";

export type { FaultOptions } from "./faults/fault-options.js";
export type {
  JournalEnd,
  JournalRequest,
  WaitForRequestOptions,
} from "./journal/request-journal.js";
export type { RunningServer, ServerEvent, ServerOptions } from "./library-options.js";

/** Starts the server `sse-tool serve` runs; resolves once it listens. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.onLog ?? (() => {});
  const access = await checkServeAccess(
    {
      host: options.host ?? "127.0.0.1",
      cors: options.cors,
      allowedHost: options.allowedHosts,
      token: options.token,
    },
    // The library takes its token from `options.token` only, not from SSE_TOOL_TOKEN.
    {},
  );
  const opened = await openServer(options, access, { say: log, log });
  // The library's handle: only the public members.
  return {
    url: opened.url,
    get clientCount() {
      return opened.clientCount;
    },
    get requests() {
      return opened.requests;
    },
    waitForRequest: opened.waitForRequest,
    publish: opened.publish,
    close: opened.close,
  };
}
