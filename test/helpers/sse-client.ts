/**
 * A raw node:http SSE client for tests: collects events with our spec decoder and lets a test
 * await "n events received" or "stream closed" by content, never by sleeping. Also
 * `startServe()`: spawns `sse-tool serve --port 0 ...` and parses the URL it prints.
 */
import { type IncomingHttpHeaders, type IncomingMessage, request } from "node:http";
import { EventStreamDecoder, type StreamEvent } from "../../src/sse/decoder.js";
import { type CliProcess, type CliRunOptions, startCli } from "./cli-process.js";

export interface SseConnection {
  status: number;
  headers: IncomingHttpHeaders;
  events: StreamEvent[];
  /** `performance.now()` when each event was decoded. */
  arrivalMs: number[];
  comments: string[];
  retries: number[];
  /** The response stream (to pause it, as a slow reader would). */
  response: IncomingMessage;
  /** Raw body bytes received. */
  body: () => Buffer;
  /** Resolves with the events once at least `count` arrived; rejects if closed first. */
  waitForEvents(count: number, timeoutMs?: number): Promise<StreamEvent[]>;
  /** Resolves once `predicate` holds after some input; rejects if closed first. */
  waitUntil(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Resolves when the response ended or the socket closed. */
  closed: Promise<void>;
  close(): void;
}

export function connectSse(
  url: string,
  headers: Record<string, string> = {},
): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Accept: "text/event-stream", ...headers } });
    req.on("error", reject);
    req.on("response", (response) => {
      const events: StreamEvent[] = [];
      const arrivalMs: number[] = [];
      const comments: string[] = [];
      const retries: number[] = [];
      const chunks: Buffer[] = [];
      let isClosed = false;
      let waiters: Array<() => void> = [];
      const notify = () => {
        const current = waiters;
        waiters = [];
        for (const waiter of current) waiter();
      };
      const decoder = new EventStreamDecoder({
        onEvent: (event) => {
          // What a browser's MessageEvent carries (not the decoder's inheritedId note).
          events.push({ type: event.type, data: event.data, lastEventId: event.lastEventId });
          arrivalMs.push(performance.now());
        },
        onComment: (text) => comments.push(text),
        onRetry: (ms) => retries.push(ms),
      });
      let markClosed: () => void = () => {};
      const closed = new Promise<void>((done) => {
        markClosed = done;
      });
      const finish = () => {
        if (isClosed) return;
        isClosed = true;
        decoder.endStream();
        markClosed();
        notify();
      };
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        decoder.feed(chunk);
        notify();
      });
      response.on("end", finish);
      response.on("close", finish);
      response.on("error", finish);
      const connection: SseConnection = {
        status: response.statusCode ?? 0,
        response,
        headers: response.headers,
        events,
        arrivalMs,
        comments,
        retries,
        body: () => Buffer.concat(chunks),
        closed,
        close: () => {
          req.destroy();
          finish();
        },
        waitForEvents(count, timeoutMs = 15_000) {
          return connection
            .waitUntil(
              () => events.length >= count,
              `${count} events (have ${events.length})`,
              timeoutMs,
            )
            .then(() => events);
        },
        waitUntil(predicate, what, timeoutMs = 15_000) {
          return new Promise((done, fail) => {
            const timer = setTimeout(() => {
              fail(new Error(`timed out waiting for ${what}; ${events.length} events received`));
            }, timeoutMs);
            const check = () => {
              if (predicate()) {
                clearTimeout(timer);
                done();
              } else if (isClosed) {
                clearTimeout(timer);
                fail(new Error(`stream closed before ${what}; ${events.length} events received`));
              } else {
                waiters.push(check);
              }
            };
            check();
          });
        },
      };
      resolve(connection);
    });
    req.end();
  });
}

export interface RunningServe {
  cli: CliProcess;
  /** The stream URL printed on stderr, e.g. http://127.0.0.1:41234/events */
  url: string;
  /** http://127.0.0.1:port */
  origin: string;
}

/** Starts `sse-tool serve --port 0 <args>` and waits for its "serving <url>" line. */
export async function startServe(args: string[], options?: CliRunOptions): Promise<RunningServe> {
  const cli = startCli(["serve", "--port", "0", ...args], options);
  const stderr = await cli.waitForStderr(/serving (http:\/\/\S+)/);
  const url = /serving (http:\/\/\S+)/.exec(stderr)?.[1] ?? "";
  return { cli, url, origin: new URL(url).origin };
}

export interface WritableServe extends RunningServe {
  /** Writes one line to serve's stdin. */
  write(line: string): void;
}

/**
 * `startServe`, with the process's end added to `cleanups` (a test file runs them after each
 * test), and a `write` for its stdin.
 */
export async function startServeFor(
  cleanups: Array<() => Promise<unknown>>,
  args: string[],
  options?: CliRunOptions,
): Promise<WritableServe> {
  const started = await startServe(args, options);
  cleanups.push(async () => {
    started.cli.kill("SIGKILL");
    await started.cli.exited;
  });
  return { ...started, write: (line) => started.cli.child.stdin?.write(`${line}\n`) };
}
