/**
 * The HTTP+SSE transport of 2024-11-05: one GET stream whose first `endpoint` event names
 * where to POST; every response then comes as a `message` event on that stream.
 */
import { SseToolError } from "../../errors.js";
import { discardBody } from "../../http/client.js";
import type { StreamEvent } from "../../sse/decoder.js";
import { httpFailure, mediaType, sendHttp } from "./http-exchange.js";
import type { McpSessionOptions } from "./session-options.js";
import { newStreamProgress, readEventStream } from "./stream-reader.js";

type EventHandler = (event: StreamEvent, label: string) => void;

export class LegacyStream {
  /** Where messages are POSTed (the `endpoint` event's URL). */
  readonly endpoint: string;
  /** Settles when the GET stream ends. */
  readonly ended: Promise<void>;
  readonly #options: McpSessionOptions;
  readonly #abort: AbortController;

  private constructor(
    endpoint: string,
    ended: Promise<void>,
    options: McpSessionOptions,
    abort: AbortController,
  ) {
    this.endpoint = endpoint;
    this.ended = ended;
    this.#options = options;
    this.#abort = abort;
  }

  static async open(options: McpSessionOptions, onEvent: EventHandler): Promise<LegacyStream> {
    const abort = new AbortController();
    const context = {
      ...options.context,
      signal: AbortSignal.any([options.context.signal, abort.signal]),
    };
    const response = await sendHttp(context, "GET", options.url, {
      ...options.baseHeaders,
      accept: "text/event-stream",
    });
    if (response.status !== 200 || mediaType(response) !== "text/event-stream") {
      if (response.status === 200) discardBody(response.body);
      else await httpFailure(response, "GET", false);
      throw new SseToolError("protocol", "no HTTP+SSE stream either");
    }
    let found: (url: string) => void = () => {};
    let lost: (error: Error) => void = () => {};
    const endpoint = new Promise<string>((resolve, reject) => {
      found = resolve;
      lost = reject;
    });
    let endpointSeen = false;
    const ended = readEventStream(response.body, newStreamProgress(), (event) => {
      if (!endpointSeen && event.type !== "endpoint") {
        // The transport's first event names the endpoint; another stream is not this transport.
        lost(new SseToolError("protocol", "the GET stream does not start with an endpoint event"));
        return true;
      }
      if (event.type === "endpoint") {
        endpointSeen = true;
        options.context.observer.frame?.({
          stream: "GET (HTTP+SSE)",
          id: event.lastEventId,
          type: event.type,
          data: event.data,
        });
        const url = URL.parse(event.data, options.url);
        // The endpoint gets the same credentials: it must be on the same origin.
        if (url === null) {
          lost(new SseToolError("protocol", `the endpoint event holds no URL: ${event.data}`));
        } else if (url.origin !== new URL(options.url).origin) {
          lost(
            new SseToolError("protocol", `the endpoint event names another origin: ${url.origin}`),
          );
        } else {
          found(url.href);
        }
        return false;
      }
      onEvent(event, "GET (HTTP+SSE)");
      return false;
    }).then(() => {
      lost(new SseToolError("protocol", "the HTTP+SSE stream ended before its endpoint event"));
    });
    const timer = setTimeout(
      () => lost(new SseToolError("timeout", "no endpoint event on the HTTP+SSE stream in time")),
      options.context.headersTimeoutMs,
    );
    try {
      return new LegacyStream(await endpoint, ended, options, abort);
    } catch (error) {
      abort.abort();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async post(message: object): Promise<void> {
    const response = await sendHttp(
      this.#options.context,
      "POST",
      this.endpoint,
      { ...this.#options.baseHeaders, "content-type": "application/json" },
      JSON.stringify(message),
    );
    if (response.status < 200 || response.status >= 300) {
      throw await httpFailure(response, "POST", false);
    }
    discardBody(response.body);
  }

  /** Rejects when the stream ends: no response can come any more. */
  failIfEnded(): Promise<never> {
    return this.ended.then(() => {
      throw new SseToolError("protocol", "the HTTP+SSE stream closed before the response");
    });
  }

  close(): void {
    this.#abort.abort();
  }
}
