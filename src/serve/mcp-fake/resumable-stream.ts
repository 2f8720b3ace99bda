/**
 * One SSE stream of an MCP session that a client may resume: every event is kept (up to a
 * bound) with an id `<stream>-<n>`, so a GET with Last-Event-ID after the connection closed
 * gets what it missed and then whatever the stream still sends.
 */
import type { ServerResponse } from "node:http";
import { encodeEvent } from "../../sse/encoder.js";

/** Events kept per stream for a resume; a tool call sends far fewer. */
const maxKeptEvents = 1000;

/** Sent as `retry:` with the priming event: how soon a client comes back. */
export const mcpRetryMs = 500;

export class ResumableStream {
  readonly id: string;
  readonly #events: { n: number; text: string }[] = [];
  #next = 1;
  #attached: ServerResponse | undefined;
  /** Events (the priming one too) the attached response takes before it is closed, or Infinity. */
  #budget = Number.POSITIVE_INFINITY;
  #finished = false;

  constructor(id: string) {
    this.id = id;
  }

  get finished(): boolean {
    return this.#finished;
  }

  /** The response takes the stream from event `after` on; `budget` events, then it is closed. */
  attach(response: ServerResponse, after: number, budget = Number.POSITIVE_INFINITY): void {
    this.#attached = response;
    this.#budget = budget;
    response.once("close", () => {
      if (this.#attached === response) this.#attached = undefined;
    });
    for (const event of this.#events) if (event.n > after) this.#write(event.text);
    if (this.#finished) this.#detach();
  }

  /** The priming event: an id and empty data, with `retry:`. */
  prime(): void {
    const n = this.#next++;
    this.#write(encodeEvent({ id: `${this.id}-${n}`, data: "", retry: mcpRetryMs }));
  }

  send(message: unknown): void {
    const n = this.#next++;
    const text = encodeEvent({ id: `${this.id}-${n}`, data: JSON.stringify(message) });
    this.#events.push({ n, text });
    if (this.#events.length > maxKeptEvents) this.#events.shift();
    this.#write(text);
  }

  /** A comment, so proxies do not cut a quiet stream; not kept for a resume. */
  keepAlive(): void {
    this.#attached?.write(": keep-alive\n\n");
  }

  /** Closes the connection now; the stream goes on for a resume. */
  closeConnection(): void {
    this.#detach();
  }

  /** Everything is sent: the connection ends after it. */
  finish(): void {
    this.#finished = true;
    this.#detach();
  }

  #write(text: string): void {
    if (this.#attached === undefined) return;
    if (this.#budget <= 0) {
      this.#detach();
      return;
    }
    this.#attached.write(text);
    this.#budget--;
    if (this.#budget <= 0) this.#detach();
  }

  #detach(): void {
    const response = this.#attached;
    this.#attached = undefined;
    response?.end();
  }
}
