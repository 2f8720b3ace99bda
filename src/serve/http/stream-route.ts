/**
 * The event-stream route of serve's server: a request that passed the gate gets --fail-first's
 * answer, or the feed's head (after --latency and a replay's recorded wait), then its bytes
 * from the feed, through the faults when there are any.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { Faults } from "../faults/faults.js";
import type { FeedOpening, StreamFeed } from "../feeds/feed.js";
import type { StreamSink } from "../feeds/stream-sink.js";
import { type CorsHeaders, setCors } from "./cors.js";
import { peerLabel } from "./request-gate.js";
import { ChunkFramer, StreamClient } from "./stream-client.js";

export interface StreamRouteOptions {
  feed: StreamFeed;
  faults: Faults | undefined;
  cors: CorsHeaders;
  /** Whether the server is closing: a stream not yet started is then answered 503. */
  isClosing: () => boolean;
  log: (message: string) => void;
  warn: (message: string) => void;
}

/** The streams of one server: the clients connected, and how a new one is opened. */
export class StreamRoute {
  /** The streams open now (as the feed knows them: the faults in front, if any). */
  readonly clients = new Set<StreamSink>();
  readonly #feed: StreamFeed;
  readonly #faults: Faults | undefined;
  readonly #cors: CorsHeaders;
  readonly #isClosing: () => boolean;
  readonly #log: (message: string) => void;
  readonly #warn: (message: string) => void;
  readonly #framer = new ChunkFramer();
  #firstClient: () => void = () => {};
  /** Resolves when the first event-stream client connects. */
  readonly firstClient = new Promise<void>((resolve) => {
    this.#firstClient = resolve;
  });

  constructor(options: StreamRouteOptions) {
    this.#feed = options.feed;
    this.#faults = options.faults;
    this.#cors = options.cors;
    this.#isClosing = options.isClosing;
    this.#log = options.log;
    this.#warn = options.warn;
  }

  /** Opens the stream for a request that passed the gate; `corsOrigin` is its Allow-Origin. */
  open(request: IncomingMessage, response: ServerResponse, corsOrigin: string | undefined): void {
    if (this.#isClosing()) {
      // The router gave it its CORS headers already: a closing server answers every route so.
      response.writeHead(503, { "Content-Type": "text/plain" }).end("shutting down\n");
      return;
    }
    const faults = this.#faults;
    const failStatus = faults?.failure(peerLabel(request));
    if (failStatus !== undefined) {
      setCors(response, corsOrigin);
      if (failStatus === 204) response.writeHead(204).end();
      else {
        response
          .writeHead(failStatus, { "Content-Type": "text/plain" })
          .end(`fault injected by sse-tool serve --fail-first (HTTP ${failStatus})\n`);
      }
      return;
    }
    const header = request.headers["last-event-id"];
    const lastEventId = typeof header === "string" ? header : undefined;
    const opening = this.#feed.open(lastEventId);
    const delayMs = (faults?.headDelayMs ?? 0) + (opening.head?.delayMs ?? 0);
    if (delayMs <= 0) {
      this.#writeStreamHead(request, response, corsOrigin, opening, lastEventId);
      return;
    }
    const timer = setTimeout(() => {
      request.socket.off("close", cancel);
      this.#writeStreamHead(request, response, corsOrigin, opening, lastEventId);
    }, delayMs);
    const cancel = () => clearTimeout(timer);
    request.socket.once("close", cancel);
  }

  #writeStreamHead(
    request: IncomingMessage,
    response: ServerResponse,
    corsOrigin: string | undefined,
    opening: FeedOpening,
    lastEventId: string | undefined,
  ): void {
    if (this.#isClosing()) {
      response.writeHead(503, { "Content-Type": "text/plain" }).end("shutting down\n");
      return;
    }
    // HTTP/1.0: no `Connection: keep-alive`, so node:http says `close` and ends the body so.
    const http10 = request.httpVersionMajor === 1 && request.httpVersionMinor === 0;
    const head = opening.head;
    if (head === undefined) {
      const headers = this.#cors.streamHeaders(corsOrigin);
      response.writeHead(200, http10 ? withoutConnection(headers) : headers);
    } else {
      response.writeHead(head.status, head.statusText, this.#cors.feedHeaders(head, corsOrigin));
    }
    // The head goes out now, through node:http; the body is then written to the socket itself.
    response.flushHeaders();
    const start = () => this.#startStream(request, response, opening, lastEventId);
    if (response.socket === null) {
      // A pipelined request waits behind the connection's earlier response: node:http writes
      // this head once the socket is handed over (right after 'socket'); start after it.
      response.once("socket", () => process.nextTick(start));
      return;
    }
    start();
  }

  #startStream(
    request: IncomingMessage,
    response: ServerResponse,
    opening: FeedOpening,
    lastEventId: string | undefined,
  ): void {
    if (this.#isClosing()) return;
    const log = this.#log;
    const warn = this.#warn;
    const faults = this.#faults;
    const feed = this.#feed;
    const socket = request.socket;
    const label = peerLabel(request);
    // node:http decided with the head: chunked for HTTP/1.1, not for a plain HTTP/1.0 client.
    const framer = response.chunkedEncoding ? this.#framer : undefined;
    // Progress is reported for the client the feed knows: the faults in front, if any.
    const connection = new StreamClient(response, socket, framer, () => feed.drained(sink));
    const sink: StreamSink = faults === undefined ? connection : faults.wrap(connection, label);
    this.clients.add(sink);
    socket.once("close", () => {
      this.clients.delete(sink);
      feed.remove(sink);
      if (sink.dropReason !== undefined) {
        warn(`client ${label} dropped: ${sink.dropReason}`);
      } else {
        log(`client ${label} disconnected`);
      }
    });
    const detail = feed.start(sink, opening, lastEventId);
    log(`client ${label} connected${detail}`);
    this.#firstClient();
  }
}

function withoutConnection(headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  const { Connection: _connection, ...rest } = headers;
  return rest;
}
