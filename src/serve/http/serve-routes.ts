/**
 * The routes `serve` adds around its event stream: the viewer page at `GET /` (`--no-ui`),
 * publishing with `POST <stream path>` (`--no-publish`, publish-route.ts), and the `--token`
 * guard on both the stream and publishing.
 */
import { checkAccessToken, presentedAccessToken } from "../access/access.js";
import type { BroadcastHub } from "../feeds/hub.js";
import { renderViewerPage } from "../viewer/page.js";
import { publishFromRequest } from "./publish-route.js";
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
      handle: (request, response) =>
        publishFromRequest(request, response, hub, {
          log: options.log,
          ...(options.defaultEventType === undefined
            ? {}
            : { defaultEventType: options.defaultEventType }),
        }),
    });
  }
}
