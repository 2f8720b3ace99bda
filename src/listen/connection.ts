/**
 * One connection attempt of `listen`: sends the request (shown with -v), and judges the
 * response as HTML §9.2.3 does: a stream to read, "stop" (204), a failure worth retrying on a
 * reconnect (5xx, 429, 408), or a failure that ends the run, told with the status and the start
 * of the body (an API's JSON error is usually the explanation).
 */
import { SseToolError } from "../errors.js";
import {
  discardBody,
  type HttpRequest,
  type HttpResponse,
  headerValue,
  openRequest,
  readBodyStart,
} from "../http/client.js";
import { requestHeadLines, responseHeadLines } from "../http/exchange-lines.js";
import { describeNetworkError, isHeadersTimeout, unreachablePeer } from "../http/network-error.js";
import { redactUrl } from "../http/redaction.js";
import { eventStreamMimeType, judgeResponse, mimeEssence } from "../sse/response-verdict.js";
import { escapeForTerminalLine } from "../terminal/escape.js";
import { llmNotSseHint } from "./llm/not-sse-hint.js";
import { describeBodyStart, redactHeader } from "./output/diagnostic-text.js";

const maxRedirects = 10;
/** How much of a failed response's body is shown: enough for an API's JSON error. */
const errorBodyPreviewBytes = 1024;

export type ConnectionRequest = Pick<
  HttpRequest,
  "url" | "method" | "headers" | "body" | "dispatcher" | "userHeaderNames" | "locationTrusted"
>;

export interface ConnectionContext {
  /** The run's stop signal: aborts the request. */
  signal: AbortSignal;
  connectTimeoutMs: number;
  verbose: boolean;
  /** -i: the response status line and headers (also shown with -v). */
  include?: boolean;
  /** --accept-any-type: read a 2xx of another Content-Type as an event stream, with a warning. */
  acceptAnyType?: boolean;
  isReconnect: boolean;
  /** A status line on stderr. */
  say: (line: string) => void;
  /** Told each final response head, whatever its status (the run's tap: --record). */
  onResponse?: (response: HttpResponse) => void;
}

export type ConnectionResult =
  | { kind: "stream"; response: HttpResponse }
  /** 204 No Content: the server says stop. */
  | { kind: "server-stop" }
  /** The run stopped while the request was pending. */
  | { kind: "stopped" }
  /**
   * No response, or one that a reconnect may retry: the reason, for the stderr line, and who
   * could not be reached when that was a proxy.
   */
  | { kind: "dropped"; reason: string; peer?: string; connected?: boolean };

export async function openConnection(
  request: ConnectionRequest,
  context: ConnectionContext,
): Promise<ConnectionResult> {
  const { signal, connectTimeoutMs, verbose, include, isReconnect, say, onResponse } = context;
  if (verbose) {
    for (const line of requestHeadLines(request.method, request.url, request.headers, redactHeader))
      say(line);
  }
  let response: HttpResponse;
  try {
    response = await openRequest({
      ...request,
      signal,
      headersTimeoutMs: connectTimeoutMs,
      maxRedirects,
      onRedirect: verbose
        ? (status, location, dropped) => {
            say(`* ${status} redirect to ${redactUrl(location)}`);
            if (dropped.length > 0) {
              say(
                `* not sent to the other origin: ${dropped.join(", ")} (--location-trusted sends them)`,
              );
            }
          }
        : undefined,
    });
  } catch (error) {
    if (signal.aborted) return { kind: "stopped" };
    if (error instanceof SseToolError) throw error;
    const host = new URL(request.url).host;
    const peer = unreachablePeer(error, host);
    return {
      kind: "dropped",
      reason: describeNetworkError(error, connectTimeoutMs),
      ...(peer === host ? {} : { peer }),
      // Connected and sent, but no response head came.
      ...(isHeadersTimeout(error) ? { connected: true } : {}),
    };
  }
  onResponse?.(response);
  const statusLine = `${response.status} ${escapeForTerminalLine(response.statusText)}`.trim();
  const contentType = headerValue(response.headers, "content-type");
  if (verbose || include) for (const line of responseHeadLines(response)) say(line);
  const verdict = judgeResponse(
    response.status,
    contentType,
    isReconnect,
    context.acceptAnyType === true,
  );
  switch (verdict.kind) {
    case "stream":
      if (mimeEssence(contentType) !== eventStreamMimeType) {
        say(
          `sse-tool: warning: Content-Type is ${contentType === undefined ? "missing" : escapeForTerminalLine(contentType)}, not text/event-stream; reading it as an event stream anyway (--accept-any-type)`,
        );
      }
      return { kind: "stream", response };
    case "stop":
      discardBody(response.body);
      return { kind: "server-stop" };
    case "retry-later":
      discardBody(response.body);
      return { kind: "dropped", reason: `HTTP ${statusLine}` };
  }
  const bodyStart = (await readBodyStart(response.body, errorBodyPreviewBytes)).toString("utf8");
  const preview = describeBodyStart(bodyStart);
  const message =
    verdict.reason === "http-status"
      ? `HTTP ${statusLine} from ${redactUrl(response.url)}`
      : `expected Content-Type text/event-stream, got ${contentType === undefined ? "none" : escapeForTerminalLine(contentType)} (HTTP ${statusLine})`;
  // An LLM API that streams another format when not asked right (Gemini without alt=sse).
  const hint =
    verdict.reason === "content-type" ? llmNotSseHint(response.url, bodyStart) : undefined;
  if (hint) throw new SseToolError(verdict.reason, `${message}: ${hint}`);
  throw new SseToolError(verdict.reason, preview === "" ? message : `${message}: ${preview}`);
}
