/**
 * The library face of `sse-tool mcp`, for test code: `const client = await mcp.connect(url)`,
 * then `client.request("tools/call", {...})`, then `client.close()`. Nothing is printed.
 * Its types are written here, whole, so the published declarations stay these few lines.
 */
import { SseToolError } from "../errors.js";
import { createDispatcher } from "../http/dispatcher.js";
import { defaultUserAgent } from "../http/request.js";
import { parseTargetUrl } from "../http/target-url.js";
import type { McpObserver } from "./session/observer.js";
import { McpSession } from "./session/session.js";

/** A JSON-RPC message the client sent or received, as `onMessage` is told of it. */
export interface McpMessage {
  direction: "sent" | "received";
  kind: "request" | "notification" | "response";
  /** The message itself: `{ jsonrpc, id?, method?, params?, result?, error? }`. */
  message: Record<string, unknown>;
  /** The SSE event id it came with, when it came on a stream. */
  eventId?: string;
}

export interface McpConnectOptions {
  /** Extra request headers (Authorization, ...). */
  headers?: Record<string, string>;
  /** Time allowed to connect and for each response's headers (default 30 s). */
  timeoutMs?: number;
  /** Ends every request and stream when aborted. */
  signal?: AbortSignal;
  /** Reuse a session instead of a handshake. */
  sessionId?: string;
  /** Results for server-to-client requests, by method (others are refused; ping answered). */
  replies?: Record<string, unknown>;
  /** Told about every message, notifications from the server included. */
  onMessage?: (message: McpMessage) => void;
}

/** A connected session; `close()` ends it (DELETE) and frees the connections. */
export interface McpClient {
  /** The revision agreed at the handshake. */
  readonly protocolVersion: string | undefined;
  /** The server's Mcp-Session-Id, when it gave one. */
  readonly sessionId: string | undefined;
  /** The server's `initialize` result: serverInfo, capabilities, instructions. */
  readonly initializeResult: Record<string, unknown> | undefined;
  /** Streamable HTTP, or the HTTP+SSE transport of 2024-11-05. */
  readonly transport: "streamable-http" | "http+sse";
  /** Resolves with the result; a JSON-RPC error is thrown as SseToolError (code "protocol"). */
  request(method: string, params?: Record<string, unknown>): Promise<unknown>;
  notify(method: string, params?: Record<string, unknown>): Promise<void>;
  close(options?: { keepSession?: boolean }): Promise<void>;
}

async function connect(url: string, options: McpConnectOptions = {}): Promise<McpClient> {
  const target = parseTargetUrl(url);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const dispatcher = createDispatcher({ env: process.env, connectTimeoutMs: timeoutMs });
  const headers: Record<string, string> = { "user-agent": defaultUserAgent };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  const onMessage = options.onMessage;
  const observer: McpObserver = onMessage
    ? {
        message: (seen) =>
          onMessage({
            direction: seen.direction,
            kind: seen.message.kind,
            message: { ...seen.message.message },
            ...(seen.eventId === undefined ? {} : { eventId: seen.eventId }),
          }),
      }
    : {};
  const session = new McpSession({
    url: target.href,
    baseHeaders: headers,
    context: {
      dispatcher,
      signal: options.signal ?? new AbortController().signal,
      headersTimeoutMs: timeoutMs,
      userHeaderNames: new Set(Object.keys(headers).filter((name) => name !== "user-agent")),
      observer,
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
    get protocolVersion() {
      return session.protocolVersion;
    },
    get sessionId() {
      return session.sessionId;
    },
    get initializeResult() {
      return session.initializeResult;
    },
    get transport() {
      return session.transport === "legacy" ? "http+sse" : "streamable-http";
    },
    request: (method, params) => session.request(method, params),
    notify: (method, params) => session.notify(method, params),
    close: async ({ keepSession = false } = {}) => {
      await session.close(keepSession);
      await dispatcher.destroy();
    },
  };
}

/** `import { mcp } from "sse-tool"`: `mcp.connect(url, options)`. */
export const mcp: {
  connect(url: string, options?: McpConnectOptions): Promise<McpClient>;
} = { connect };
