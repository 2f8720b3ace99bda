/** A route of serve's HTTP server: what the viewer page, publishing, the journal and the fakes add. */
import type { IncomingMessage, ServerResponse } from "node:http";

export type RouteHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
) => void | Promise<void>;

export interface Route {
  /** Upper-case HTTP method, e.g. "GET". */
  method: string;
  /** Exact path, without query. */
  path: string;
  /** Instead of the exact path: a test on the path (for paths with a parameter in them). */
  matchPath?: (pathname: string) => boolean;
  handle: RouteHandler;
  /** Served without asking `authorize` (for example a page that then sends ?token=). */
  public?: boolean;
}
