/**
 * CORS for `serve`'s responses (the policy itself, which origins are allowed, is access/access.ts):
 * the `Access-Control-Allow-Origin` value a request gets, the event stream's response headers
 * with it, preflight answers, and whether an `Origin` is the server's own page.
 *
 * The stream's headers are one shared object per Allow-Origin value, handed to `writeHead` for
 * every client with it: node:http's fast path (setHeader would give each response its own map).
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { isAllowedOrigin, type OriginPolicy } from "../access/access.js";
import type { StreamHead } from "../feeds/feed.js";

/** Headers every event-stream response carries. */
const streamHeaders: OutgoingHttpHeaders = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  // Tells nginx-style proxies not to buffer the stream.
  "X-Accel-Buffering": "no",
};

const defaultAllowedHeaders = "Last-Event-ID, Cache-Control, Authorization, Content-Type";

/** Distinct `Access-Control-Allow-Origin` header objects kept for reuse (loopback ports vary). */
const maxCachedOriginHeaders = 16;

export class CorsHeaders {
  readonly #origins: OriginPolicy;
  /** The stream's headers without an Allow-Origin (Vary: Origin when answers depend on it). */
  readonly #streamHeaders: OutgoingHttpHeaders;
  readonly #streamHeadersByOrigin = new Map<string, OutgoingHttpHeaders>();

  constructor(origins: OriginPolicy) {
    this.#origins = origins;
    // Answers depend on the Origin unless every origin gets the same `*`.
    this.#streamHeaders =
      origins.cors && !origins.anyOrigin ? { Vary: "Origin", ...streamHeaders } : streamHeaders;
  }

  /**
   * The `Access-Control-Allow-Origin` value for a request from `origin`: `*` with `--cors '*'`,
   * the origin itself when it is allowed, else undefined (no CORS headers).
   */
  allowOriginFor(origin: string | undefined): string | undefined {
    if (!this.#origins.cors) return undefined;
    if (this.#origins.anyOrigin) return "*";
    if (origin === undefined || !isAllowedOrigin(this.#origins, origin)) return undefined;
    return origin;
  }

  /** The event stream's response headers for a request given `allowOrigin`. */
  streamHeaders(allowOrigin: string | undefined): OutgoingHttpHeaders {
    if (allowOrigin === undefined) return this.#streamHeaders;
    let headers = this.#streamHeadersByOrigin.get(allowOrigin);
    if (headers === undefined) {
      headers = {
        "Access-Control-Allow-Origin": allowOrigin,
        ...(allowOrigin === "*" ? {} : { "Access-Control-Allow-Credentials": "true" }),
        ...this.#streamHeaders,
      };
      if (this.#streamHeadersByOrigin.size < maxCachedOriginHeaders) {
        this.#streamHeadersByOrigin.set(allowOrigin, headers);
      }
    }
    return headers;
  }

  /** A feed's own head (a replay's recorded one) with this server's CORS headers. */
  feedHeaders(head: StreamHead, allowOrigin: string | undefined): OutgoingHttpHeaders {
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of head.headers) headers[name] = value;
    if (allowOrigin !== undefined) {
      headers["access-control-allow-origin"] = allowOrigin;
      if (allowOrigin !== "*") headers["access-control-allow-credentials"] = "true";
    }
    if (this.#origins.cors && !this.#origins.anyOrigin) {
      const vary = headers.vary;
      headers.vary = vary === undefined ? "Origin" : `${String(vary)}, Origin`;
    }
    return headers;
  }
}

/** Answers a CORS preflight: the methods `allowed`, for an allowed origin only. */
export function answerPreflight(
  request: IncomingMessage,
  response: ServerResponse,
  allowed: string,
  allowOrigin: string | undefined,
): void {
  // Without an allowed origin no Access-Control-* headers: browsers then refuse the request.
  if (allowOrigin !== undefined) {
    response.setHeader("Access-Control-Allow-Methods", allowed);
    response.setHeader(
      "Access-Control-Allow-Headers",
      request.headers["access-control-request-headers"] ?? defaultAllowedHeaders,
    );
    response.setHeader("Access-Control-Max-Age", "600");
    // Chromium asks before a public page reaches a private address (Private Network Access).
    if (request.headers["access-control-request-private-network"] === "true") {
      response.setHeader("Access-Control-Allow-Private-Network", "true");
    }
  }
  response.writeHead(204, { Allow: allowed }).end();
}

/** Sets the CORS headers on a response that has none yet. */
export function setCors(response: ServerResponse, allowOrigin: string | undefined): void {
  if (allowOrigin === undefined || response.hasHeader("Access-Control-Allow-Origin")) return;
  response.setHeader("Access-Control-Allow-Origin", allowOrigin);
  if (allowOrigin !== "*") {
    response.setHeader("Access-Control-Allow-Credentials", "true");
    response.setHeader("Vary", "Origin");
  }
}

/**
 * Whether `origin` is the server's own (the page came from it): its host is the request's
 * (already checked) Host, over http or https (behind a TLS-terminating proxy).
 */
export function isSameOrigin(origin: string, request: IncomingMessage): boolean {
  const host = request.headers.host;
  if (host === undefined) return false;
  try {
    const page = new URL(origin);
    const ownHost = new URL(`http://${host}`).host;
    return (page.protocol === "http:" || page.protocol === "https:") && page.host === ownHost;
  } catch {
    return false;
  }
}
