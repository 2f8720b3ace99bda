/**
 * The transport for HTTP/2 (--http2) and proxies (--proxy, HTTPS_PROXY/HTTP_PROXY): the
 * project's undici dispatcher (src/http/client.ts), driven with `dispatch()` and a handler
 * object per stream rather than `request()`'s readable body. One dispatcher per source address.
 * Connect time is not measured here: undici shares (HTTP/2) or hides (proxy) the connection.
 */
import type { Dispatcher } from "undici";
import { createDispatcher, type DispatcherOptions } from "../http/client.js";
import type {
  OpenStream,
  ResponseHead,
  StreamRequest,
  StreamSink,
  StreamTransport,
} from "./stream-request.js";
import { copyOf } from "./string-copy.js";

export class UndiciTransport implements StreamTransport {
  readonly #options: Omit<DispatcherOptions, "localAddress">;
  readonly #headersTimeoutMs: number;
  readonly #dispatchers = new Map<string, Dispatcher>();

  constructor(options: Omit<DispatcherOptions, "localAddress">) {
    this.#options = options;
    this.#headersTimeoutMs = options.connectTimeoutMs;
  }

  open(
    request: StreamRequest,
    lastEventId: string | undefined,
    localAddress: string | undefined,
    sink: StreamSink,
  ): OpenStream {
    const key = localAddress ?? "";
    let dispatcher = this.#dispatchers.get(key);
    if (dispatcher === undefined) {
      dispatcher = createDispatcher({ ...this.#options, localAddress });
      this.#dispatchers.set(key, dispatcher);
    }
    const handler = new StreamHandler(sink);
    const url = request.url;
    dispatcher.dispatch(
      {
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: request.method as Dispatcher.HttpMethod,
        headers:
          lastEventId === undefined
            ? request.headers
            : { ...request.headers, "last-event-id": lastEventId },
        body: request.body,
        headersTimeout: this.#headersTimeoutMs,
        bodyTimeout: 0,
      },
      handler,
    );
    return handler;
  }

  async close(): Promise<void> {
    const dispatchers = [...this.#dispatchers.values()];
    this.#dispatchers.clear();
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.destroy().catch(() => {})));
  }
}

/** undici's (legacy) dispatch handler for one stream, reporting to the client's sink. */
class StreamHandler implements OpenStream {
  readonly #sink: StreamSink;
  #abort: ((error: Error) => void) | undefined;
  #closed = false;
  #headSeen = false;

  constructor(sink: StreamSink) {
    this.#sink = sink;
  }

  onConnect(abort: (error: Error) => void): void {
    this.#abort = abort;
    if (this.#closed) abort(new Error("closed"));
  }

  onHeaders(
    statusCode: number,
    rawHeaders: Buffer[] | string[] | null,
    _resume: () => void,
    statusText: string,
  ): boolean {
    if (this.#closed) return false;
    // 1xx informational heads come before the real one.
    if (statusCode < 200) return true;
    const head: ResponseHead = {
      status: statusCode,
      statusText: copyOf(statusText ?? ""),
      contentType: undefined,
      contentEncoding: undefined,
      location: undefined,
    };
    const headers = rawHeaders ?? [];
    for (let at = 0; at + 1 < headers.length; at += 2) {
      const name = headers[at]!.toString().toLowerCase();
      if (name === "content-type") head.contentType = headers[at + 1]!.toString();
      else if (name === "content-encoding") head.contentEncoding = headers[at + 1]!.toString();
      else if (name === "location") head.location = headers[at + 1]!.toString();
    }
    this.#headSeen = true;
    this.#sink.head(head);
    return !this.#closed;
  }

  onData(chunk: Buffer): boolean {
    if (this.#closed) return false;
    this.#sink.body(chunk, 0, chunk.length);
    return !this.#closed;
  }

  onComplete(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#sink.end(true);
  }

  onError(error: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#headSeen && (error as { code?: string }).code === "UND_ERR_SOCKET") {
      // The connection closed under a stream that had started: the server went away.
      this.#sink.end(false);
      return;
    }
    this.#sink.failed(error);
  }

  onUpgrade(): void {
    this.onError(new Error("unexpected protocol upgrade"));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort?.(new Error("closed"));
  }
}
