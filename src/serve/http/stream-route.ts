/**
 * The event-stream route of serve's server: a request that passed the gate gets --fail-first's
 * answer, or the feed's head (after --latency and a replay's recorded wait), then its bytes
 * from the feed, through the faults when there are any: the server's, or the ones the request
 * chose (`SSE-Tool-Fault`, `?sse-tool-fault=`; a bad spec is a 400 saying why).
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { Faults, type StreamFaults } from "../faults/faults.js";
import { FaultySink } from "../faults/faulty-sink.js";
import {
  faultHeaderName,
  faultQueryName,
  parseFaultSpec,
  type RequestFaults,
} from "../faults/request-faults.js";
import { type FeedOpening, quotedForLog, type StreamFeed } from "../feeds/feed.js";
import type { StreamSink } from "../feeds/stream-sink.js";
import { reportRequestFaults, reportStreamEnd } from "../journal/journal-recorder.js";
import { type CorsHeaders, setCors } from "./cors.js";
import { peerLabel } from "./request-gate.js";
import { ChunkFramer, StreamClient } from "./stream-client.js";

export interface StreamRouteOptions {
  feed: StreamFeed;
  faults: Faults | undefined;
  /** The feed is a replay: a request may choose its `speed=`. */
  replaying: boolean;
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
  /** The server's faults; with none, still the place a request's own faults are counted. */
  readonly #faults: Faults;
  readonly #replaying: boolean;
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
    this.#faults = options.faults ?? new Faults({}, options.warn);
    this.#replaying = options.replaying;
    this.#cors = options.cors;
    this.#isClosing = options.isClosing;
    this.#log = options.log;
    this.#warn = options.warn;
  }

  /** Opens the stream for a request that passed the gate; `corsOrigin` is its Allow-Origin. */
  open(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    corsOrigin: string | undefined,
  ): void {
    if (this.#isClosing()) {
      // The router gave it its CORS headers already: a closing server answers every route so.
      response.writeHead(503, { "Content-Type": "text/plain" }).end("shutting down\n");
      return;
    }
    const requested = this.#requestedFaults(request, url);
    if (typeof requested === "string") {
      setCors(response, corsOrigin);
      response
        .writeHead(400, { "Content-Type": "text/plain" })
        .end(`bad ${faultHeaderName} spec: ${requested}\n`);
      return;
    }
    if (requested !== undefined) reportRequestFaults(request, requested.spec);
    const faults = this.#faults.forStream(peerLabel(request), requested);
    const failStatus = faults.failStatus;
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
    const opening = this.#feed.open(
      lastEventId,
      requested?.speed === undefined ? undefined : { speed: requested.speed },
    );
    const delayMs = faults.headDelayMs + (opening.head?.delayMs ?? 0);
    if (delayMs <= 0) {
      this.#writeStreamHead(request, response, corsOrigin, opening, lastEventId, faults);
      return;
    }
    const timer = setTimeout(() => {
      request.socket.off("close", cancel);
      this.#writeStreamHead(request, response, corsOrigin, opening, lastEventId, faults);
    }, delayMs);
    const cancel = () => clearTimeout(timer);
    request.socket.once("close", cancel);
  }

  /** The faults the request chose, none, or why its spec cannot be used. */
  #requestedFaults(request: IncomingMessage, url: URL): RequestFaults | string | undefined {
    const header = request.headers[faultHeaderName];
    const inQuery = url.searchParams.getAll(faultQueryName);
    if (inQuery.length > 1) return `give ${faultQueryName} once`;
    const spec = typeof header === "string" ? header : inQuery[0];
    if (spec === undefined) return undefined;
    if (typeof header === "string" && inQuery.length > 0) {
      return `give the spec in the header or in the query, not both`;
    }
    const read = parseFaultSpec(spec);
    if (!read.ok) return read.problem;
    if (read.faults.speed !== undefined && !this.#replaying) {
      return "speed applies to a replaying server (--replay)";
    }
    return read.faults;
  }

  #writeStreamHead(
    request: IncomingMessage,
    response: ServerResponse,
    corsOrigin: string | undefined,
    opening: FeedOpening,
    lastEventId: string | undefined,
    faults: StreamFaults,
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
    const start = () => this.#startStream(request, response, opening, lastEventId, faults);
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
    faults: StreamFaults,
  ): void {
    if (this.#isClosing()) return;
    const log = this.#log;
    const warn = this.#warn;
    const feed = this.#feed;
    const socket = request.socket;
    const label = peerLabel(request);
    // node:http decided with the head: chunked for HTTP/1.1, not for a plain HTTP/1.0 client.
    const framer = response.chunkedEncoding ? this.#framer : undefined;
    // Progress is reported for the client the feed knows: the faults in front, if any.
    const connection = new StreamClient(response, socket, framer, () => feed.drained(sink));
    const sink: StreamSink = faults.wrap(connection);
    this.clients.add(sink);
    reportStreamEnd(request, () =>
      sink.dropReason !== undefined
        ? "dropped"
        : sink instanceof FaultySink && sink.cutByFault
          ? "cut"
          : undefined,
    );
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
    const chosen = faults.spec === undefined ? "" : ` (faults ${quotedForLog(faults.spec)})`;
    log(`client ${label} connected${detail}${chosen}`);
    this.#firstClient();
  }
}

function withoutConnection(headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  const { Connection: _connection, ...rest } = headers;
  return rest;
}
