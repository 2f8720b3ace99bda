/**
 * One HTTP request of an MCP session through the shared client (src/http/client.ts): heads
 * shown for -v, network failures turned into one line, bodies read with a bound.
 */
import { SseToolError } from "../../errors.js";
import {
  discardBody,
  type HttpResponse,
  headerValue,
  openRequest,
  readBodyStart,
} from "../../http/client.js";
import type { HttpDispatcher } from "../../http/dispatcher.js";
import { requestHeadLines, responseHeadLines } from "../../http/exchange-lines.js";
import { describeNetworkError, unreachablePeer } from "../../http/network-error.js";
import { redactHeaderValue } from "../../http/redaction.js";
import { explainHttpFailure } from "../protocol/http-failure.js";
import { McpHttpError } from "../protocol/rpc-error.js";
import type { McpObserver } from "./observer.js";

/** Largest JSON response body read (a stream's events are bounded by the decoder). */
export const maxJsonBodyBytes = 16 * 1024 ** 2;

export interface ExchangeContext {
  dispatcher: HttpDispatcher;
  signal: AbortSignal;
  headersTimeoutMs: number;
  userHeaderNames: ReadonlySet<string>;
  observer: McpObserver;
}

export async function sendHttp(
  context: ExchangeContext,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: string,
): Promise<HttpResponse> {
  context.observer.http?.(requestHeadLines(method, url, headers, redactHeaderValue));
  let response: HttpResponse;
  try {
    response = await openRequest({
      url,
      method,
      headers,
      ...(body === undefined ? {} : { body: Buffer.from(body) }),
      dispatcher: context.dispatcher,
      signal: context.signal,
      headersTimeoutMs: context.headersTimeoutMs,
      maxRedirects: 5,
      userHeaderNames: context.userHeaderNames,
    });
  } catch (error) {
    if (error instanceof SseToolError) throw error;
    if (context.signal.aborted)
      throw new SseToolError("interrupted", "interrupted", { cause: error });
    const host = new URL(url).host;
    throw new SseToolError(
      "connect",
      `cannot connect to ${unreachablePeer(error, host)}: ${describeNetworkError(error, context.headersTimeoutMs)}`,
      { cause: error },
    );
  }
  context.observer.http?.(responseHeadLines(response));
  return response;
}

/** The media type of a response, lower case, without parameters. */
export function mediaType(response: HttpResponse): string {
  return (headerValue(response.headers, "content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

/** Reads a JSON body whole, up to the bound. */
export async function readJsonBody(response: HttpResponse): Promise<string> {
  const bytes = await readBodyStart(response.body, maxJsonBodyBytes + 1);
  if (bytes.length > maxJsonBodyBytes) {
    throw new SseToolError("too-large", `a JSON response over ${maxJsonBodyBytes} bytes`);
  }
  return bytes.toString("utf8");
}

/** The failure of a non-2xx response, as one line (its body read for the server's reason). */
export async function httpFailure(
  response: HttpResponse,
  method: string,
  withSession: boolean,
): Promise<McpHttpError> {
  const bodyStart = (await readBodyStart(response.body, 2048)).toString("utf8");
  return new McpHttpError(
    response.status,
    explainHttpFailure({
      status: response.status,
      statusText: response.statusText,
      method,
      withSession,
      wwwAuthenticate: headerValue(response.headers, "www-authenticate"),
      bodyStart,
    }),
  );
}

/** Checks that a GET opened an event stream; else the failure, as one line. */
export async function expectEventStream(
  response: HttpResponse,
  label: string,
  withSession: boolean,
): Promise<void> {
  if (response.status < 200 || response.status >= 300) {
    throw await httpFailure(response, "GET", withSession);
  }
  const type = mediaType(response);
  if (type !== "text/event-stream") {
    discardBody(response.body);
    throw new SseToolError(
      "content-type",
      `${label}: got ${type || "a body without Content-Type"} where an event stream (text/event-stream) was expected`,
    );
  }
}
