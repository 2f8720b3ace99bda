/**
 * What every request of one `sse-tool mcp` run shares, from its options: the dispatcher
 * (proxy, CA file, --insecure, --http2), the headers (-H, -u, User-Agent) and the time bounds.
 */
import { SseToolError } from "../errors.js";
import type { HttpDispatcher } from "../http/dispatcher.js";
import { prepareRequest } from "../http/request.js";
import { dispatcherFor } from "../http/request-dispatcher.js";
import { parseTargetUrl } from "../http/target-url.js";
import { defaultMcpConnectTimeoutMs, type McpCliOptions } from "./cli.js";
import type { ExchangeContext } from "./session/http-exchange.js";
import type { McpObserver } from "./session/observer.js";

export interface McpConnection {
  url: string;
  context: ExchangeContext;
  baseHeaders: Record<string, string>;
  dispatcher: HttpDispatcher;
}

export async function openConnection(
  rawUrl: string,
  options: McpCliOptions,
  observer: McpObserver,
  signal: AbortSignal,
): Promise<McpConnection> {
  const target = parseTargetUrl(rawUrl);
  if (options.data !== undefined || options.method !== undefined) {
    throw new SseToolError("usage", "mcp writes its own requests: -d and -X do not apply");
  }
  const request = await prepareRequest(target, options);
  const baseHeaders = request.headersFor("");
  // The session sets Accept itself unless -H gave one.
  if (!request.userHeaderNames.has("accept")) delete baseHeaders.accept;
  const connectTimeoutMs = options.connectTimeout ?? defaultMcpConnectTimeoutMs;
  const dispatcher = await dispatcherFor(options, process.env, connectTimeoutMs);
  return {
    url: request.url,
    baseHeaders,
    dispatcher,
    context: {
      dispatcher,
      signal,
      headersTimeoutMs: connectTimeoutMs,
      userHeaderNames: request.userHeaderNames,
      observer,
    },
  };
}
