/**
 * A connected event-stream client of `serve`, written to on its socket, and the chunk framing
 * its bytes get. The stream route (stream-route.ts) creates one per stream once node:http
 * wrote the response head.
 */
import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { StreamSink } from "../feeds/stream-sink.js";

/**
 * Frames chunks as HTTP/1.1 chunks, the very bytes node:http would write. The hub writes the
 * same Buffer to every client, so the last framing is reused: one copy per batch. One framer
 * per server: two servers in a process never hand each other's bytes out.
 */
export class ChunkFramer {
  #lastSource: Buffer | undefined;
  #lastFramed: Buffer | undefined;

  frame(chunk: Buffer): Buffer {
    if (chunk !== this.#lastSource || this.#lastFramed === undefined) {
      const sizeLine = `${chunk.length.toString(16)}\r\n`;
      // Not Buffer.concat(): small results would come from Node's shared 8 KiB pool, and a slow
      // client holding one in its socket queue would pin the whole slab.
      const framed = Buffer.allocUnsafeSlow(sizeLine.length + chunk.length + 2);
      framed.write(sizeLine, 0, "latin1");
      chunk.copy(framed, sizeLine.length);
      framed.write("\r\n", sizeLine.length + chunk.length, "latin1");
      this.#lastSource = chunk;
      this.#lastFramed = framed;
      return framed;
    }
    return this.#lastFramed;
  }
}

/**
 * A connected event-stream client: the few fields the hub needs, and its socket.
 *
 * After node:http has written the response head, the body is written straight to the socket,
 * already framed as chunks: ServerResponse.write would cost a cork, several socket writes and
 * a nextTick per client per write, and heartbeats reach every idle client each tick. The bytes
 * on the wire are the same (chunked, keep-alive headers).
 *
 * The body is framed as chunks only when node:http chose chunked encoding for the response:
 * an HTTP/1.0 client (nginx's default upstream protocol) gets the bare stream, ended by
 * closing the connection.
 */
export class StreamClient implements StreamSink {
  sentSinceHeartbeat = false;
  stalled = false;
  progressed = false;
  /** Why the hub dropped this client, if it did. */
  dropReason: string | undefined;
  readonly socket: Socket;
  readonly #response: ServerResponse;
  readonly #onFlushed: () => void;
  /** Undefined when the response is not chunked: bytes go out as they are. */
  readonly #framer: ChunkFramer | undefined;

  /** `onFlushed` runs each time a write reaches the socket: the client made progress. */
  constructor(
    response: ServerResponse,
    socket: Socket,
    framer: ChunkFramer | undefined,
    onFlushed: () => void,
  ) {
    this.#response = response;
    this.socket = socket;
    this.#framer = framer;
    this.#onFlushed = onFlushed;
  }

  get backlogBytes(): number {
    return this.socket.writableLength;
  }

  send(chunk: Buffer): void {
    // Progress is reported per flushed write, not on 'drain': 'drain' comes only past the
    // socket's own high-water mark, so a source waiting below it would never be woken.
    // An empty chunk would be framed as the last chunk: the end of the response.
    if (!this.socket.writable || chunk.length === 0) return;
    this.socket.write(this.#framer ? this.#framer.frame(chunk) : chunk, this.#onFlushed);
  }

  /**
   * Ends the response through node:http (the last chunk, or closing the connection when the
   * body is not chunked or the client asked for `Connection: close`), so a keep-alive
   * connection is free for the client's next request; `done` runs once that reached the socket
   * or failed.
   */
  end(done: () => void): void {
    if (!this.socket.writable || this.#response.writableEnded) done();
    else this.#response.end(() => done());
  }

  cut(): void {
    // end() sends what is queued, then FIN: the body stops short of its last chunk.
    this.socket.end();
  }

  drop(reason: string): void {
    this.dropReason = reason;
    this.socket.destroy();
  }
}
