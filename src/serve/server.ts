/**
 * The HTTP side of `serve`: a node:http server with a small router, the event-stream route,
 * CORS, heartbeats and a graceful close. Events come from a BroadcastHub; this module only
 * turns connections into hub clients.
 *
 * Extending it (viewer page, publishing, auth): `server.addRoute({ method, path, handle })`
 * adds a handler; `server.authorize = (request, url) => boolean` guards every route not marked
 * `public` (a false answer is a 401). OPTIONS preflight, 404 and 405 come from the route table.
 */
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { SseToolError } from "../errors.js";
import type { BroadcastHub, HubClient, ResumeOutcome } from "./hub.js";

export type RouteHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => void;

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

export interface SseServerOptions {
  hub: BroadcastHub;
  host: string;
  port: number;
  /** Path of the event stream, e.g. "/events". */
  streamPath: string;
  /** Access-Control-Allow-Origin value, or false for no CORS headers. */
  cors: string | false;
  /** Sent as `retry:` to every new client. */
  retryMs?: number;
  /** Milliseconds between heartbeat comments to idle clients; 0 is off. */
  heartbeatMs: number;
  /** Connect/disconnect lines (a no-op with --quiet). */
  log: (message: string) => void;
  /** Lines shown even with --quiet (a client dropped for its backlog). */
  warn: (message: string) => void;
}

/** Headers every event-stream response carries. */
const streamHeaders: OutgoingHttpHeaders = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  // Tells nginx-style proxies not to buffer the stream.
  "X-Accel-Buffering": "no",
};

const defaultAllowedHeaders = "Last-Event-ID, Cache-Control, Authorization, Content-Type";

/** The chunked-encoding end of a response: a zero-size chunk and no trailers (RFC 9112 7.1). */
const lastChunk = Buffer.from("0\r\n\r\n");

/**
 * `chunk` framed as one HTTP/1.1 chunk, the very bytes node:http would write for it. The hub
 * writes the same Buffer to every client, so the last framing is reused: one copy per batch.
 */
let lastFramedSource: Buffer | undefined;
let lastFramed: Buffer = lastChunk;
function framedChunk(chunk: Buffer): Buffer {
  if (chunk !== lastFramedSource) {
    const sizeLine = `${chunk.length.toString(16)}\r\n`;
    // Not Buffer.concat(): small results would come from Node's shared 8 KiB pool, and a slow
    // client holding one in its socket queue would pin the whole slab.
    const framed = Buffer.allocUnsafeSlow(sizeLine.length + chunk.length + 2);
    framed.write(sizeLine, 0, "latin1");
    chunk.copy(framed, sizeLine.length);
    framed.write("\r\n", sizeLine.length + chunk.length, "latin1");
    lastFramedSource = chunk;
    lastFramed = framed;
  }
  return lastFramed;
}

/**
 * A connected event-stream client: the few fields the hub needs, and its socket.
 *
 * Memory (issue 8, 10,000 idle clients): after node:http has written the response head, the
 * body is written straight to the socket, already framed as chunks. Going through
 * ServerResponse.write costs a cork, three socket writes and a nextTick per client per write
 * (heartbeats reach every idle client each tick). With the shared header object below this took
 * `bench --only=serve-capacity` from 12.5 to 10.7 KB per client (medians of 3). The bytes on
 * the wire are the same as before (chunked, keep-alive headers).
 */
class StreamClient implements HubClient {
  sentSinceHeartbeat = false;
  stalled = false;
  /** Why the hub dropped this client, if it did. */
  dropReason: string | undefined;
  readonly socket: Socket;
  readonly #onFlushed: () => void;

  /** `onFlushed` runs each time a write reaches the socket: the client made progress. */
  constructor(socket: Socket, onFlushed: () => void) {
    this.socket = socket;
    this.#onFlushed = onFlushed;
  }

  get backlogBytes(): number {
    return this.socket.writableLength;
  }

  send(chunk: Buffer): void {
    // Progress is reported per flushed write, not on 'drain': 'drain' fires only after a write
    // returned false, i.e. past the stream's own high-water mark (16 KiB on Node 20, 64 KiB on
    // Node 22+), so a source waiting for a backlog below that mark would never be woken.
    if (this.socket.writable) this.socket.write(framedChunk(chunk), this.#onFlushed);
  }

  /** Ends the response (the last chunk); `done` runs once it reached the socket or failed. */
  end(done: () => void): void {
    if (this.socket.writable) this.socket.write(lastChunk, () => done());
    else done();
  }

  drop(reason: string): void {
    this.dropReason = reason;
    this.socket.destroy();
  }
}

export class SseServer {
  /** Guards every non-public route; return false to answer 401. */
  authorize: ((request: IncomingMessage, url: URL) => boolean) | undefined;

  readonly #options: SseServerOptions;
  readonly #server: Server;
  readonly #routes: Route[] = [];
  readonly #clients = new Set<StreamClient>();
  readonly #retryPrelude: Buffer | undefined;
  /** The stream's response headers, CORS included: one object for all (node:http's fast path). */
  readonly #streamHeaders: OutgoingHttpHeaders;
  readonly #streamRoute: Route;
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #firstClient: () => void = () => {};
  /** Resolves when the first event-stream client connects. */
  readonly firstClient = new Promise<void>((resolve) => {
    this.#firstClient = resolve;
  });
  #closing = false;

  constructor(options: SseServerOptions) {
    this.#options = options;
    if (options.retryMs !== undefined) {
      this.#retryPrelude = Buffer.from(`retry: ${options.retryMs}\n\n`);
    }
    // Same order as #setCors then writeHead: the same bytes on the wire.
    this.#streamHeaders =
      options.cors === false
        ? streamHeaders
        : {
            "Access-Control-Allow-Origin": options.cors,
            ...(options.cors === "*" ? {} : { Vary: "Origin" }),
            ...streamHeaders,
          };
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
      handle: (request, response) => this.#openStream(request, response),
    };
    this.addRoute(this.#streamRoute);
  }

  addRoute(route: Route): void {
    this.#routes.push(route);
  }

  get clientCount(): number {
    return this.#clients.size;
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
      this.#heartbeatTimer = setInterval(
        () => this.#options.hub.heartbeat(),
        this.#options.heartbeatMs,
      );
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
    clearInterval(this.#heartbeatTimer);
    const serverClosed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    const streamsClosed = [...this.#clients].map(
      (client) =>
        new Promise<void>((resolve) => {
          client.socket.once("close", () => resolve());
          this.#options.hub.removeClient(client);
          client.end(resolve);
        }),
    );
    this.#server.closeIdleConnections();
    // Unreferenced: a flush timer that lost the race does not keep the process alive.
    await Promise.race([
      Promise.all(streamsClosed),
      sleep(flushTimeoutMs, undefined, { ref: false }),
    ]);
    // Whatever is left (stalled streams, idle or half-sent requests) is cut off.
    this.#server.closeAllConnections();
    await serverClosed;
  }

  #route(request: IncomingMessage, response: ServerResponse): void {
    let url: URL;
    try {
      url = new URL(request.url ?? "/", "http://localhost");
    } catch {
      response.writeHead(400, { "Content-Type": "text/plain" }).end("bad request target\n");
      return;
    }
    const { cors } = this.#options;
    const routes = this.#routes.filter((route) =>
      route.matchPath ? route.matchPath(url.pathname) : route.path === url.pathname,
    );
    const route = routes.find((candidate) => candidate.method === request.method);
    // An event stream being opened gets its CORS headers with the others, in one object that is
    // not copied per client (setHeader would give each response its own header map).
    if (route !== this.#streamRoute || this.#closing) this.#setCors(response);
    if (routes.length === 0) {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("not found\n");
      return;
    }
    const allowed = [...new Set([...routes.map((route) => route.method), "OPTIONS"])].join(", ");
    if (request.method === "OPTIONS") {
      // CORS preflight. With --no-cors no Access-Control-* header is sent, so browsers refuse.
      if (cors !== false) {
        response.setHeader("Access-Control-Allow-Methods", allowed);
        response.setHeader(
          "Access-Control-Allow-Headers",
          request.headers["access-control-request-headers"] ?? defaultAllowedHeaders,
        );
        response.setHeader("Access-Control-Max-Age", "600");
      }
      response.writeHead(204, { Allow: allowed }).end();
      return;
    }
    if (!route) {
      response
        .writeHead(405, { Allow: allowed, "Content-Type": "text/plain" })
        .end(`method ${request.method} not allowed; use ${allowed}\n`);
      return;
    }
    if (!route.public && this.authorize && !this.authorize(request, url)) {
      if (route === this.#streamRoute) this.#setCors(response);
      response
        .writeHead(401, { "Content-Type": "text/plain", "WWW-Authenticate": "Bearer" })
        .end("unauthorized: send Authorization: Bearer <token>, or add ?token=<token>\n");
      return;
    }
    route.handle(request, response, url);
  }

  #setCors(response: ServerResponse): void {
    const { cors } = this.#options;
    if (cors !== false && !response.hasHeader("Access-Control-Allow-Origin")) {
      response.setHeader("Access-Control-Allow-Origin", cors);
      if (cors !== "*") response.setHeader("Vary", "Origin");
    }
  }

  #openStream(request: IncomingMessage, response: ServerResponse): void {
    if (this.#closing) {
      response.writeHead(503, { "Content-Type": "text/plain" }).end("shutting down\n");
      return;
    }
    response.writeHead(200, this.#streamHeaders);
    // The head goes out now, through node:http; the body is then written to the socket itself.
    response.flushHeaders();
    if (response.socket === null) {
      // A pipelined request waits behind the connection's earlier response: node:http writes
      // this head once the socket is handed over (right after 'socket'); start after it.
      response.once("socket", () => process.nextTick(() => this.#startStream(request)));
      return;
    }
    this.#startStream(request);
  }

  #startStream(request: IncomingMessage): void {
    if (this.#closing) return;
    const { hub, log, warn } = this.#options;
    const socket = request.socket;
    const client: StreamClient = new StreamClient(socket, () => hub.clientDrained(client));
    const label = `${socket.remoteAddress}:${socket.remotePort}`;
    const header = request.headers["last-event-id"];
    const lastEventId = typeof header === "string" ? header : undefined;
    this.#clients.add(client);
    socket.once("close", () => {
      this.#clients.delete(client);
      hub.removeClient(client);
      if (client.dropReason !== undefined) {
        warn(`client ${label} dropped: ${client.dropReason}`);
      } else {
        log(`client ${label} disconnected`);
      }
    });
    const outcome = hub.addClient(client, lastEventId, this.#retryPrelude);
    log(`client ${label} connected${describeResume(lastEventId, outcome)}`);
    this.#firstClient();
  }
}

function describeResume(lastEventId: string | undefined, outcome: ResumeOutcome): string {
  switch (outcome.kind) {
    case "live":
      return "";
    case "resumed":
      return ` (Last-Event-ID ${JSON.stringify(lastEventId)}: ${outcome.missedEvents} missed events sent)`;
    case "unknown-id":
      return ` (Last-Event-ID ${JSON.stringify(lastEventId)} not in history: all ${outcome.missedEvents} kept events sent)`;
  }
}
