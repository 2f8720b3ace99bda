/**
 * The lean HTTP/1.1 transport: one plain TCP or TLS socket per stream, read into one buffer
 * shared by every socket (net's `onread`), framed by the pure Http1ResponseReader. It exists
 * for memory per connection: undici and node:http keep a parser, a request object and a
 * readable body per connection (the bench suite `load` measures both). HTTP/2 and proxies go
 * through undici.ts, where multiplexing or the proxy decides the cost.
 */
import net from "node:net";
import tls, { rootCertificates } from "node:tls";
import { type Http1ResponseHandlers, Http1ResponseReader } from "./http1-response.js";
import {
  http1HeadEnd,
  type OpenStream,
  type ResponseHead,
  type StreamRequest,
  type StreamSink,
  type StreamTransport,
} from "./stream-transport.js";

export interface Http1TransportOptions {
  connectTimeoutMs: number;
  /** Accept any TLS certificate (--insecure). */
  insecure?: boolean;
  /** PEM certificates trusted in addition to the system's (--cacert). */
  extraCaPem?: string;
}

/** Every plain socket reads into this buffer; its bytes are used before the next read. */
const sharedReadBuffer = Buffer.allocUnsafe(64 * 1024);
const owner = Symbol("sse-tool.load.connection");

type OwnedSocket = net.Socket & { [owner]?: Http1Connection };

export class Http1Transport implements StreamTransport {
  readonly #connectTimeoutMs: number;
  readonly #insecure: boolean;
  /** One TLS context for every connection: creating one per socket parses every root CA. */
  #secureContext: tls.SecureContext | undefined;
  readonly #extraCaPem: string | undefined;

  constructor(options: Http1TransportOptions) {
    this.#connectTimeoutMs = options.connectTimeoutMs;
    this.#insecure = options.insecure === true;
    this.#extraCaPem = options.extraCaPem;
  }

  open(
    request: StreamRequest,
    lastEventId: string | undefined,
    localAddress: string | undefined,
    sink: StreamSink,
  ): OpenStream {
    const url = request.url;
    const secure = url.protocol === "https:";
    const port = Number(url.port || (secure ? 443 : 80));
    const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
    const connection = new Http1Connection(sink, request.method);
    let socket: OwnedSocket;
    if (secure) {
      this.#secureContext ??= tls.createSecureContext(
        this.#extraCaPem === undefined ? {} : { ca: [...rootCertificates, this.#extraCaPem] },
      );
      // tls.connect takes every net.connect option (Node docs); its types omit localAddress.
      socket = tls.connect({
        host,
        port,
        ...({ localAddress } as tls.ConnectionOptions),
        secureContext: this.#secureContext,
        rejectUnauthorized: !this.#insecure,
        // SNI takes a host name, never an IP address (RFC 6066 §3).
        servername: net.isIP(host) === 0 ? host : undefined,
        ALPNProtocols: ["http/1.1"],
      });
      socket.on("secureConnect", onConnect);
      socket.on("data", onData);
    } else {
      socket = net.connect({
        host,
        port,
        localAddress,
        onread: { buffer: sharedReadBuffer, callback: onRead },
      });
      socket.on("connect", onConnect);
    }
    socket[owner] = connection;
    connection.socket = socket;
    socket.setNoDelay(true);
    socket.setTimeout(this.#connectTimeoutMs, onTimeout);
    socket.on("error", onError);
    socket.on("end", onEnd);
    socket.on("close", onClose);
    socket.cork();
    socket.write(request.http1Head);
    socket.write(http1HeadEnd(lastEventId));
    if (request.body !== undefined) socket.write(request.body);
    socket.uncork();
    return connection;
  }

  async close(): Promise<void> {}
}

/** A connection timed out before the response head (connect or header timeout). */
export class ConnectTimeoutError extends Error {
  override readonly name = "ConnectTimeoutError";
  readonly code = "ETIMEDOUT";
}

/** One request on one socket: the reader calls it back, and it tells the client's sink. */
class Http1Connection implements OpenStream, Http1ResponseHandlers {
  socket: OwnedSocket | undefined;
  readonly #sink: StreamSink;
  readonly #reader: Http1ResponseReader;
  /** The sink was told the outcome (end or failure), or close() was called. */
  #finished = false;

  constructor(sink: StreamSink, method: string) {
    this.#sink = sink;
    this.#reader = new Http1ResponseReader(this, method);
  }

  onHead(head: ResponseHead): void {
    if (this.#finished) return;
    // The connect timeout covered the head; a stream may be quiet for minutes after it. Naming
    // the listener also lets go of its once-wrapper, kept per socket otherwise.
    this.socket?.setTimeout(0, onTimeout);
    this.#sink.head(head);
  }

  onBody(bytes: Uint8Array, start: number, end: number): void {
    // The client may have closed this connection while the reader was still in a read.
    if (!this.#finished) this.#sink.body(bytes, start, end);
  }

  onBodyEnd(): void {
    this.#finish(true);
  }

  connected(): void {
    if (!this.#finished) this.#sink.connected();
  }

  read(bytes: Uint8Array, start: number, end: number): void {
    if (this.#finished) return;
    try {
      this.#reader.feed(bytes, start, end);
    } catch (error) {
      this.fail(error);
    }
  }

  /** The socket ended or closed: complete for a body read to the end of the connection. */
  ended(): void {
    if (this.#finished) return;
    if (!this.#reader.headDone) {
      this.fail(
        Object.assign(new Error("connection closed before the response head"), {
          code: "ECONNRESET",
        }),
      );
      return;
    }
    const complete = this.#reader.endOfInput();
    if (!this.#finished) this.#finish(complete);
  }

  fail(error: unknown): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#release();
    this.#sink.failed(error);
  }

  close(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#release();
  }

  #finish(complete: boolean): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#release();
    this.#sink.end(complete);
  }

  #release(): void {
    const socket = this.socket;
    if (socket === undefined) return;
    this.socket = undefined;
    socket[owner] = undefined;
    socket.destroy();
  }
}

// Shared listeners: `this` is the socket, which points at its connection. No closure per socket.
function onConnect(this: OwnedSocket): void {
  this[owner]?.connected();
}

function onRead(this: OwnedSocket, bytesRead: number, buffer: Uint8Array): boolean {
  this[owner]?.read(buffer, 0, bytesRead);
  return true;
}

function onData(this: OwnedSocket, chunk: Buffer): void {
  this[owner]?.read(chunk, 0, chunk.length);
}

function onTimeout(this: OwnedSocket): void {
  this[owner]?.fail(new ConnectTimeoutError("no response head within the connect timeout"));
}

function onError(this: OwnedSocket, error: Error): void {
  this[owner]?.fail(error);
}

function onEnd(this: OwnedSocket): void {
  this[owner]?.ended();
}

function onClose(this: OwnedSocket): void {
  this[owner]?.ended();
}
