/**
 * The gate every request to serve's server passes before any route, in this order (the rules
 * are access/access.ts): a Host that is not a loopback name, an IP address or an allowed host
 * is refused (403: DNS rebinding), then an Origin that is neither the server's own nor allowed
 * (403 whatever the method: a cross-origin "simple" POST is sent without a preflight).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { isAllowedHost } from "../access/access.js";
import { quotedForLog } from "../feeds/feed.js";
import { type CorsHeaders, isSameOrigin } from "./cors.js";

export interface RequestGateOptions {
  cors: CorsHeaders;
  /** Host names accepted besides loopback names and IP addresses (`--allowed-host`). */
  allowedHosts: readonly string[];
  /** Why a request was refused (a no-op with --quiet). */
  log: (message: string) => void;
}

/** What a request that passed carries on: its URL, and the Allow-Origin it gets. */
export interface GatePassed {
  url: URL;
  corsOrigin: string | undefined;
}

/** The request checked; a refused one is answered here and undefined is returned. */
export function passRequestGate(
  request: IncomingMessage,
  response: ServerResponse,
  options: RequestGateOptions,
): GatePassed | undefined {
  const { log } = options;
  // Before anything else: a rebinding name gets no stream, no page and no publishing.
  if (!isAllowedHost(request.headers.host, options.allowedHosts)) {
    log(
      `403 for ${request.method} from ${peerLabel(request)}: Host ${quotedForLog(request.headers.host ?? "")} is not allowed (--allowed-host adds a name)`,
    );
    refuse(
      response,
      "forbidden: this server answers requests for localhost, an IP address or an --allowed-host name only\n",
    );
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(request.url ?? "/", "http://localhost");
  } catch {
    response.writeHead(400, { "Content-Type": "text/plain" }).end("bad request target\n");
    return undefined;
  }
  const origin = request.headers.origin;
  const corsOrigin = options.cors.allowOriginFor(origin);
  const originAllowed =
    origin === undefined ||
    corsOrigin === "*" ||
    corsOrigin === origin ||
    isSameOrigin(origin, request);
  if (!originAllowed) {
    log(
      `403 for ${request.method} from ${peerLabel(request)}: Origin ${quotedForLog(origin)} is not allowed (--cors adds one)`,
    );
    refuse(response, "forbidden: pages on this origin may not use this server (see --cors)\n");
    return undefined;
  }
  return { url, corsOrigin };
}

/** The client's address and port, for log lines. */
export function peerLabel(request: IncomingMessage): string {
  return `${request.socket.remoteAddress}:${request.socket.remotePort}`;
}

function refuse(response: ServerResponse, text: string): void {
  response.writeHead(403, { "Content-Type": "text/plain" }).end(text);
}
