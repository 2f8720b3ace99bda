/**
 * Writes event output to stdout in one write per network chunk, waits when stdout is full (so a
 * slow reader slows the reading of the response body instead of filling memory), and notices
 * when the reader went away (`| head -n 3`): EPIPE ends the run quietly.
 */
import type { Writable } from "node:stream";

export class StdoutSink {
  /** The reader closed the pipe (EPIPE) or stdout failed; nothing more is written. */
  closed = false;
  /** A failure other than EPIPE, to report. */
  failure: Error | undefined;
  readonly #stream: Writable;
  readonly #onClosed: () => void;
  /** Text of the current chunk; built with += (V8 ropes), flattened once by the write. */
  #pendingText = "";
  #pendingBytes: Buffer[] = [];

  constructor(stream: Writable, onClosed: () => void) {
    this.#stream = stream;
    this.#onClosed = onClosed;
    stream.on("error", this.#onError);
  }

  /** Stops listening for errors on the stream (the stream outlives the run). */
  detach(): void {
    // Late EPIPEs from buffered writes must not become uncaught exceptions: keep a no-op.
    this.#stream.off("error", this.#onError);
    this.#stream.on("error", () => {});
  }

  get hasPending(): boolean {
    return this.#pendingText !== "" || this.#pendingBytes.length > 0;
  }

  pushText(text: string): void {
    this.#pendingText += text;
  }

  pushBytes(bytes: Buffer): void {
    this.#pendingBytes.push(bytes);
  }

  /** Writes what is pending; resolves when stdout can take more (or the run stops). */
  async flush(stopSignal: AbortSignal): Promise<void> {
    if (this.closed) {
      this.#pendingText = "";
      this.#pendingBytes = [];
      return;
    }
    let writable = true;
    if (this.#pendingBytes.length > 0) {
      const bytes =
        this.#pendingBytes.length === 1
          ? this.#pendingBytes[0]!
          : Buffer.concat(this.#pendingBytes);
      this.#pendingBytes = [];
      writable = this.#stream.write(bytes);
    }
    if (this.#pendingText !== "") {
      const text = this.#pendingText;
      this.#pendingText = "";
      writable = this.#stream.write(text) && writable;
    }
    if (writable || this.closed || stopSignal.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.#stream.off("drain", done);
        this.#stream.off("close", done);
        stopSignal.removeEventListener("abort", done);
        resolve();
      };
      this.#stream.on("drain", done);
      this.#stream.on("close", done);
      stopSignal.addEventListener("abort", done);
    });
  }

  readonly #onError = (error: NodeJS.ErrnoException): void => {
    if (this.closed) return;
    this.closed = true;
    if (error.code !== "EPIPE" && error.code !== "ERR_STREAM_DESTROYED") this.failure = error;
    this.#onClosed();
  };
}
