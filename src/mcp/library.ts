/**
 * The library face of `sse-tool mcp`, for test code: `const session = await mcp.connect(url)`,
 * then `session.request("tools/call", {...})`, then `session.close()`. Nothing is printed.
 */
import type { Dispatcher } from "undici";
import { SseToolError } from "../errors.js";
import { createDispatcher, type HttpDispatcher, singleDispatcher } from "../http/dispatcher.js";
import { defaultUserAgent } from "../http/request.js";
import { parseTargetUrl } from "../http/target-url.js";
import type { McpObserver } from "./session/observer.js";
import { McpSession } from "./session/session.js";

export interface McpConnectOptions {
  /** Extra request headers (Authorization, ...). */
  headers?: Record<string, string>;
  /** The undici dispatcher to send through (default: a fresh one, proxies from the env). */
  dispatcher?: Dispatcher;
  /** Time allowed to connect and for each response's headers (default 30 s). */
  timeoutMs?: number;
  /** Ends every request and stream when aborted. */
  signal?: AbortSignal;
  /** Reuse a session instead of a handshake. */
  sessionId?: string;
  /** Results for server-to-client requests, by method. */
  replies?: Record<string, unknown>;
  /** Told about every exchange, frame and message. */
  observer?: McpObserver;
}

/** A connected session; `close()` ends it (DELETE) and frees the connections. */
export interface McpClient {
  readonly session: McpSession;
  request(method: string, params?: Record<string, unknown>): Promise<unknown>;
  notify(method: string, params?: Record<string, unknown>): Promise<void>;
  close(options?: { keepSession?: boolean }): Promise<void>;
}

async function connect(url: string, options: McpConnectOptions = {}): Promise<McpClient> {
  const target = parseTargetUrl(url);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const dispatcher: HttpDispatcher =
    options.dispatcher === undefined
      ? createDispatcher({ env: process.env, connectTimeoutMs: timeoutMs })
      : singleDispatcher(options.dispatcher);
  const headers: Record<string, string> = { "user-agent": defaultUserAgent };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  const session = new McpSession({
    url: target.href,
    baseHeaders: headers,
    context: {
      dispatcher,
      signal: options.signal ?? new AbortController().signal,
      headersTimeoutMs: timeoutMs,
      userHeaderNames: new Set(Object.keys(headers).filter((name) => name !== "user-agent")),
      observer: options.observer ?? {},
    },
    ...(options.sessionId === undefined ? {} : { sessionId: options.sessionId }),
    ...(options.replies === undefined ? {} : { replies: options.replies }),
  });
  try {
    if (options.sessionId === undefined) await session.initialize();
  } catch (error) {
    await dispatcher.destroy();
    throw error instanceof SseToolError ? error : new SseToolError("connect", String(error));
  }
  return {
    session,
    request: (method, params) => session.request(method, params),
    notify: (method, params) => session.notify(method, params),
    close: async ({ keepSession = false } = {}) => {
      await session.close(keepSession);
      await dispatcher.destroy();
    },
  };
}

/** `import { mcp } from "sse-tool"`: `mcp.connect(url, options)`. */
export const mcp = { connect };
