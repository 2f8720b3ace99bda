/**
 * The node:http server of `serve`: a small route table in front of the event-stream route
 * (stream-route.ts), heartbeats, and a close that lets streams flush first. Every request passes
 * the gate first (request-gate.ts: Host, then Origin); a handler's error, thrown or rejected,
 * is answered with a 500 and never reaches the process.
 *
 * Extending it (viewer page, publishing, the fake LLM APIs): `addRoute({ method, path, handle })`
 * adds a handler; `authorize = (request, url) => boolean` guards every route not marked
 * `public` (false is a 401). OPTIONS preflight, 404 and 405 come from the route table.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { SseToolError } from "../../errors.js";
import { type OriginPolicy, originPolicy } from "../access/access.js";
import type { Faults } from "../faults/faults.js";
import type { StreamFeed } from "../feeds/feed.js";
import type { BroadcastHub } from "../feeds/hub.js";
import { HubFeed } from "../feeds/hub-feed.js";
import { recordRequest } from "../journal/journal-recorder.js";
import { journalPath, journalRoute } from "../journal/journal-route.js";
import type { RequestJournal } from "../journal/request-journal.js";
import { answerPreflight, CorsHeaders, setCors } from "./cors.js";
import { passRequestGate } from "./request-gate.js";
import type { Route, RouteHandler } from "./route.js";
import { StreamRoute } from "./stream-route.js";

/** Handles a request; a thrown error or a rejected promise is answered with a 500. */
export type { Route, RouteHandler };

export interface SseServerOptions {
  /** The usual feed of the streams; `feed` replaces it (a replay has no hub). */
  hub?: BroadcastHub;
  /** Where the streams' bytes come from when not from `hub`. */
  feed?: StreamFeed;
  /** Faults to inject (--drop-after, --fail-first, ...); requests may choose their own. */
  faults?: Faults;
  /** Where every request is written down, served at journal-route.ts's path. */
  journal?: RequestJournal;
  host: string;
  port: number;
  /** Path of the event stream, e.g. "/events". */
  streamPath: string;
  /** Which origins may read and publish (`--cors`); default: loopback origins only. */
  origins?: OriginPolicy;
  /** Host names accepted besides loopback names and IP addresses (`--allowed-host`). */
  allowedHosts?: readonly string[];
  /** `--replay-history`: a client without Last-Event-ID gets every kept event first. */
  replayHistory?: boolean;
  /** Sent as `retry:` to every new client. */
  retryMs?: number;
  /** Milliseconds between heartbeat comments to idle clients; 0 is off. */
  heartbeatMs: number;
  /** Connect/disconnect lines (a no-op with --quiet). */
  log: (message: string) => void;
  /** Lines shown even with --quiet (a client dropped for its backlog). */
  warn: (message: string) => void;
}

export class SseServer {
  /** Guards every non-public route; return false to answer 401. */
  authorize: ((request: IncomingMessage, url: URL) => boolean) | undefined;

  readonly #options: SseServerOptions;
  readonly #server: Server;
  readonly #routes: Route[] = [];
  /** Responses of other routes not finished yet: closing waits for them (within its bound). */
  readonly #inFlight = new Set<ServerResponse>();
  readonly #cors: CorsHeaders;
  readonly #feed: StreamFeed;
  /** Its place in the route table; the streams themselves are #streams'. */
  readonly #streamRoute: Route;
  readonly #streams: StreamRoute;
  readonly #closingController = new AbortController();
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #closing = false;

  constructor(options: SseServerOptions) {
    this.#options = options;
    this.#cors = new CorsHeaders(options.origins ?? originPolicy(undefined));
    if (options.feed !== undefined) {
      this.#feed = options.feed;
    } else if (options.hub !== undefined) {
      this.#feed = new HubFeed(options.hub, {
        replayHistory: options.replayHistory ?? false,
        ...(options.retryMs === undefined ? {} : { retryMs: options.retryMs }),
      });
    } else {
      throw new Error("SseServer needs a hub or a feed");
    }
    this.#streams = new StreamRoute({
      feed: this.#feed,
      faults: options.faults,
      replaying: options.feed !== undefined,
      cors: this.#cors,
      isClosing: () => this.#closing,
      log: options.log,
      warn: options.warn,
    });
    this.#server = createServer(
      {
        // Slow-loris: a client must send its headers within 10 s (checked every 2 s).
        headersTimeout: 10_000,
        requestTimeout: 30_000,
        connectionsCheckingInterval: 2_000,
      },
      (request, response) => this.#route(request, response),
    );
    // Garbage bytes, unknown methods, oversized headers: answer if we still can, then close.
    this.#server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
      if (socket.writable && error.code !== "ECONNRESET") {
        const status =
          error.code === "HPE_HEADER_OVERFLOW"
            ? "431 Request Header Fields Too Large"
            : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
              ? "408 Request Timeout"
              : "400 Bad Request";
        socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      }
      socket.destroy();
    });
    this.#streamRoute = {
      method: "GET",
      path: options.streamPath,
      // #route opens the stream itself (#streams): it hands over the CORS decision it made.
      handle: () => {},
    };
    this.addRoute(this.#streamRoute);
    if (options.journal !== undefined) this.addRoute(journalRoute(options.journal));
  }

  addRoute(route: Route): void {
    this.#routes.push(route);
  }

  get clientCount(): number {
    return this.#streams.clients.size;
  }

  /** Resolves when the first event-stream client connects. */
  get firstClient(): Promise<void> {
    return this.#streams.firstClient;
  }

  /** Aborted when closing starts: a handler streaming at its own pace finishes at once. */
  get closingSignal(): AbortSignal {
    return this.#closingController.signal;
  }

  /** Starts listening; resolves with the stream URL. Port in use is an SseToolError. */
  async listen(): Promise<string> {
    const { host, port, streamPath } = this.#options;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        const reason =
          error.code === "EADDRINUSE"
            ? "address already in use (choose another --port; 0 picks a free one)"
            : error.code === "EACCES"
              ? "permission denied (ports below 1024 need privileges)"
              : error.message;
        reject(new SseToolError("listen", `cannot listen on ${host}:${port}: ${reason}`));
      };
      this.#server.once("error", onError);
      this.#server.listen({ host, port }, () => {
        this.#server.off("error", onError);
        // Later server errors (EMFILE on accept, ...) are reported; the server keeps running.
        this.#server.on("error", (error: Error) => this.#options.warn(`server: ${error.message}`));
        resolve();
      });
    });
    if (this.#options.heartbeatMs > 0) {
      this.#heartbeatTimer = setInterval(() => this.#feed.heartbeat(), this.#options.heartbeatMs);
      this.#heartbeatTimer.unref();
    }
    const address = this.#server.address() as AddressInfo;
    const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
    return `http://${shownHost}:${address.port}${streamPath}`;
  }

  /**
   * Ends every stream after what was written is flushed, then closes the server. Clients that
   * do not take their bytes within `flushTimeoutMs` are cut off.
   */
  async close(flushTimeoutMs = 5_000): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    this.#closingController.abort();
    clearInterval(this.#heartbeatTimer);
    const serverClosed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    const streamsClosed = [...this.#streams.clients].map(
      (client) =>
        new Promise<void>((resolve) => {
          client.socket.once("close", () => resolve());
          this.#feed.remove(client);
          client.end(resolve);
        }),
    );
    const responsesDone = [...this.#inFlight].map(
      (response) => new Promise<void>((resolve) => response.once("close", () => resolve())),
    );
    this.#server.closeIdleConnections();
    // Unreferenced: a flush timer that lost the race does not keep the process alive.
    await Promise.race([
      Promise.all([...streamsClosed, ...responsesDone]),
      sleep(flushTimeoutMs, undefined, { ref: false }),
    ]);
    // Whatever is left (stalled streams, idle or half-sent requests) is cut off.
    this.#server.closeAllConnections();
    await serverClosed;
  }

  #route(request: IncomingMessage, response: ServerResponse): void {
    const journal = this.#options.journal;
    // Refused requests too (why did the app get a 403?); the journal's own reads are not news.
    if (journal?.recording && !request.url?.startsWith(journalPath)) {
      recordRequest(journal, request, response);
    }
    const passed = passRequestGate(request, response, {
      cors: this.#cors,
      allowedHosts: this.#options.allowedHosts ?? [],
      log: this.#options.log,
    });
    if (passed === undefined) return;
    const { url, corsOrigin } = passed;
    const routes = this.#routes.filter((route) =>
      route.matchPath ? route.matchPath(url.pathname) : route.path === url.pathname,
    );
    const route = routes.find((candidate) => candidate.method === request.method);
    // An event stream being opened gets its CORS headers with the others, in one object that is
    // not copied per client (setHeader would give each response its own header map).
    if (route !== this.#streamRoute || this.#closing) setCors(response, corsOrigin);
    if (routes.length === 0) {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("not found\n");
      return;
    }
    const allowed = [...new Set([...routes.map((route) => route.method), "OPTIONS"])].join(", ");
    if (request.method === "OPTIONS") {
      answerPreflight(request, response, allowed, corsOrigin);
      return;
    }
    if (!route) {
      response
        .writeHead(405, { Allow: allowed, "Content-Type": "text/plain" })
        .end(`method ${request.method} not allowed; use ${allowed}\n`);
      return;
    }
    if (this.#closing && route !== this.#streamRoute) {
      response.writeHead(503, { "Content-Type": "text/plain" }).end("shutting down\n");
      return;
    }
    if (!route.public && this.authorize && !this.authorize(request, url)) {
      if (route === this.#streamRoute) setCors(response, corsOrigin);
      response
        .writeHead(401, { "Content-Type": "text/plain", "WWW-Authenticate": "Bearer" })
        .end("unauthorized: send Authorization: Bearer <token>, or add ?token=<token>\n");
      return;
    }
    if (route === this.#streamRoute) this.#streams.open(request, response, url, corsOrigin);
    else this.#handle(route, request, response, url);
  }

  /** Runs a route's handler; whatever it throws or rejects with is answered, never rethrown. */
  #handle(route: Route, request: IncomingMessage, response: ServerResponse, url: URL): void {
    this.#inFlight.add(response);
    response.once("close", () => this.#inFlight.delete(response));
    const failed = (error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      this.#options.warn(`${request.method} ${url.pathname} failed: ${reason}`);
      if (!response.headersSent) {
        response
          .writeHead(500, { "Content-Type": "text/plain", Connection: "close" })
          .end("internal error\n");
      } else {
        response.destroy();
      }
    };
    try {
      const result = route.handle(request, response, url);
      if (result instanceof Promise) result.catch(failed);
    } catch (error) {
      failed(error);
    }
  }
}
