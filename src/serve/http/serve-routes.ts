/**
 * The routes `serve` adds around its event stream: the viewer page at `GET /` (`--no-ui`),
 * publishing with `POST <stream path>` (`--no-publish`), and the `--token` guard on both the
 * stream and publishing. The parsing and checking rules are pure modules beside it; this file
 * only reads requests and writes responses.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { checkAccessToken, presentedAccessToken } from "../access/access.js";
import type { BroadcastHub } from "../feeds/hub.js";
import { renderViewerPage } from "../viewer/page.js";
import {
  maxPublishBodyBytes,
  parsePublishBody,
  publishBodyKind,
  unsupportedBodyMessage,
} from "./publish-body.js";
import { readRequestBody } from "./read-body.js";
import type { SseServer } from "./sse-server.js";

export interface ServeRoutesOptions {
  /** Where published events go; needed for `publish`. */
  hub: BroadcastHub | undefined;
  streamPath: string;
  /** Serve the viewer page at `/`. */
  ui: boolean;
  /** Accept `POST <streamPath>`. */
  publish: boolean;
  /** The secret from `--token` or `SSE_TOOL_TOKEN`, if any. */
  token: string | undefined;
  /** `--event`: the type for published events that carry none. */
  defaultEventType?: string;
  /** Connect/publish lines (a no-op with --quiet). */
  log: (message: string) => void;
}

export function installServeRoutes(server: SseServer, options: ServeRoutesOptions): void {
  const { token } = options;
  if (token !== undefined) {
    server.authorize = (request) => {
      const presented = presentedAccessToken(request.headers.authorization, request.url ?? "");
      const verdict = checkAccessToken(token, presented);
      if (verdict === "allowed") return true;
      // Say why on the server side: a browser's EventSource only sees "error".
      const label = `${request.socket.remoteAddress}:${request.socket.remotePort}`;
      options.log(`401 for ${request.method} from ${label}: ${verdict.replace("-", " ")}`);
      return false;
    };
  }
  // With `--path /` the stream itself lives at `/`; the page then has no place.
  if (options.ui && options.streamPath !== "/") {
    const page = Buffer.from(renderViewerPage({ streamPath: options.streamPath }));
    server.addRoute({
      method: "GET",
      path: "/",
      // The page holds no data; it passes the ?token= it was opened with on to the stream.
      public: true,
      handle: (_request, response) => {
        response
          .writeHead(200, {
            "Content-Type": "text/html; charset=utf-8",
            "Content-Length": page.length,
            "Cache-Control": "no-store",
            "Content-Security-Policy":
              "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
          })
          .end(page);
      },
    });
  }
  const hub = options.hub;
  if (options.publish && hub !== undefined) {
    server.addRoute({
      method: "POST",
      path: options.streamPath,
      handle: (request, response) => publishFromRequest(request, response, options, hub),
    });
  }
}

async function publishFromRequest(
  request: IncomingMessage,
  response: ServerResponse,
  options: ServeRoutesOptions,
  hub: BroadcastHub,
): Promise<void> {
  // Decided before a byte of the body is read: a form (what an HTML page can send anywhere
  // without asking) or any other undocumented type is not an event.
  const kind = publishBodyKind(request.headers["content-type"]);
  if (kind === undefined) {
    refuseBody(
      request,
      response,
      415,
      `this Content-Type is not accepted: ${unsupportedBodyMessage}`,
    );
    return;
  }
  const declaredLength = Number(request.headers["content-length"] ?? "0");
  if (declaredLength > maxPublishBodyBytes) {
    tooLarge(request, response);
    return;
  }
  const body = await readRequestBody(request, maxPublishBodyBytes);
  if (body === "aborted") return;
  if (body === "too-large") {
    tooLarge(request, response);
    return;
  }
  let bodyText: string;
  try {
    bodyText = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    sendJson(response, 400, { error: "the body is not valid UTF-8" });
    return;
  }
  const parsed = parsePublishBody(
    kind,
    bodyText,
    options.defaultEventType === undefined ? {} : { defaultEventType: options.defaultEventType },
  );
  if (!parsed.ok) {
    const { message, line } = parsed.error;
    sendJson(response, 400, line === undefined ? { error: message } : { error: message, line });
    return;
  }
  const result = hub.publish(parsed.events);
  const label = `${request.socket.remoteAddress}:${request.socket.remotePort}`;
  options.log(`${result.published.length} published by ${label}`);
  sendJson(response, 202, {
    published: result.published.length,
    ids: result.published.map((event) => event.id ?? null),
  });
}

/** 413, then close the connection: reading on through a huge upload would be wasted work. */
function tooLarge(request: IncomingMessage, response: ServerResponse): void {
  refuseBody(
    request,
    response,
    413,
    `the body is over the ${maxPublishBodyBytes}-byte limit for publishing`,
  );
}

/** An error answer without reading the body, then the connection is closed. */
function refuseBody(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  error: string,
): void {
  response.setHeader("Connection", "close");
  sendJson(response, status, { error });
  response.on("finish", () => request.destroy());
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  response
    .writeHead(status, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": Buffer.byteLength(text),
    })
    .end(text);
}
