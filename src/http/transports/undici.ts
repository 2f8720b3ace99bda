/**
 * The transport for HTTP/2 (--http2) and proxies (--proxy, HTTPS_PROXY/HTTP_PROXY): the
 * project's undici dispatcher (src/http/dispatcher.ts, which also picks the proxy per URL),
 * driven with `dispatch()` and a handler object per stream rather than `request()`'s readable
 * body. One dispatcher per source address.
 * Connect time is not measured here: undici shares (HTTP/2) or hides (proxy) the connection.
 */
import type { Dispatcher } from "undici";
import { detachedCopy } from "../../sse/detached-copy.js";
import { createDispatcher, type DispatcherOptions, type HttpDispatcher } from "../dispatcher.js";
import type {
  OpenStream,
  ResponseHead,
  StreamRequest,
  StreamSink,
  StreamTransport,
} from "./stream-transport.js";

export class UndiciTransport implements StreamTransport {
  readonly #options: Omit<DispatcherOptions, "localAddress">;
  readonly #headersTimeoutMs: number;
  readonly #dispatchers = new Map<string, HttpDispatcher>();

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
    dispatcher.for(request.url).dispatch(
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

/** The text of a header undici parsed (repeated ones joined, as fetch does). */
function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

/** undici's dispatch handler for one stream, reporting to the client's sink. */
class StreamHandler implements OpenStream, Dispatcher.DispatchHandler {
  readonly #sink: StreamSink;
  #controller: Dispatcher.DispatchController | undefined;
  #closed = false;
  #headSeen = false;

  constructor(sink: StreamSink) {
    this.#sink = sink;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#closed) controller.abort(new Error("closed"));
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    statusText?: string,
  ): void {
    if (this.#closed) return;
    // 1xx informational heads come before the real one.
    if (statusCode < 200) return;
    const head: ResponseHead = {
      status: statusCode,
      statusText: detachedCopy(statusText ?? ""),
      contentType: headerText(headers["content-type"]),
      contentEncoding: headerText(headers["content-encoding"]),
      location: headerText(headers.location),
    };
    this.#headSeen = true;
    this.#sink.head(head);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#closed) return;
    this.#sink.body(chunk, 0, chunk.length);
  }

  onResponseEnd(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#sink.end(true);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#headSeen && (error as { code?: string }).code === "UND_ERR_SOCKET") {
      // The connection closed under a stream that had started: the server went away.
      this.#sink.end(false);
      return;
    }
    this.#sink.failed(error);
  }

  onRequestUpgrade(controller: Dispatcher.DispatchController): void {
    this.onResponseError(controller, new Error("unexpected protocol upgrade"));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#controller?.abort(new Error("closed"));
  }
}
