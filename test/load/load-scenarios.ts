/**
 * For `load` end-to-end tests: route handlers serving real event streams to many connections at
 * once, with the faults a load test must find (an id skipped for one client, a slow client,
 * dropped connections, duplicates, ids out of order); a raw TCP server for broken HTTP; and the
 * binary run as a user runs it, its --json report parsed.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { LoadReport } from "../../src/load/report/report.js";
import { type CliResult, type CliRunOptions, runCli } from "../helpers/cli-process.js";
import { eventStreamHeaders, type RouteHandler } from "../helpers/http-test-server.js";
import { type RawTcpServer, startRawTcpServer } from "../helpers/raw-tcp-server.js";

export interface BroadcastOptions {
  /** Start sending once this many clients are connected. */
  clients: number;
  /** Event ids, in the order sent. */
  ids: ReadonlyArray<string | number>;
  everyMs: number;
  /** Wait this long after the last client connected (so clients settle). Default 100 ms. */
  startAfterMs?: number;
  data?: (id: string | number) => string;
  /** Connection numbers count from 1 in arrival order. */
  skip?: (connection: number, id: string | number) => boolean;
  /** Extra delay before an event is written to this connection. */
  delayMs?: (connection: number) => number;
  /** Called once every event was written to every connection. */
  onDone?: () => void;
}

/** Sends the same events to every connection, after `clients` have connected. */
export function broadcast(options: BroadcastOptions): RouteHandler {
  const connections: Array<{ number: number; response: ServerResponse }> = [];
  let started = false;
  const start = () => {
    started = true;
    let index = 0;
    const timer = setInterval(() => {
      const id = options.ids[index++];
      if (id === undefined) {
        clearInterval(timer);
        setTimeout(() => options.onDone?.(), 300);
        return;
      }
      const data = options.data?.(id) ?? `event ${id}`;
      for (const { number, response } of connections) {
        if (options.skip?.(number, id)) continue;
        const text = `id: ${id}\ndata: ${data}\n\n`;
        const delay = options.delayMs?.(number) ?? 0;
        if (delay > 0) setTimeout(() => response.write(text), delay);
        else response.write(text);
      }
    }, options.everyMs);
  };
  return (_request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(200, eventStreamHeaders);
    response.flushHeaders();
    connections.push({ number: connections.length + 1, response });
    if (!started && connections.length === options.clients) {
      setTimeout(start, options.startAfterMs ?? 100);
    }
  };
}

/**
 * Numbers events per client and resumes after Last-Event-ID; each response ends after
 * `perStream` events (a server dropping connections), until `last` was sent, then it stays open.
 * Sends `retry: 50` so clients come back at once.
 */
export function droppingStream(options: {
  perStream: number;
  last: number;
  everyMs: number;
  /** Destroy the socket instead of ending the response cleanly. */
  cut?: boolean;
}): RouteHandler {
  return (request, response) => {
    response.writeHead(200, eventStreamHeaders);
    const resumeFrom = Number(request.headers["last-event-id"] ?? "0");
    let next = resumeFrom + 1;
    let sentHere = 0;
    response.write("retry: 50\n\n");
    const timer = setInterval(() => {
      if (next > options.last) {
        clearInterval(timer);
        return;
      }
      const last = sentHere + 1 === options.perStream && next < options.last;
      // A cut comes after the event is on the wire: the client has it, then the socket dies.
      response.write(`id: ${next}\ndata: event ${next}\n\n`, () => {
        if (last && options.cut) response.socket?.destroy();
      });
      next++;
      sentHere++;
      if (last) {
        clearInterval(timer);
        if (!options.cut) response.end();
      }
    }, options.everyMs);
    response.on("close", () => clearInterval(timer));
  };
}

/** Writes fixed text to every connection, then keeps it open. */
export function fixedStream(text: string, headers = eventStreamHeaders): RouteHandler {
  return (_request, response) => {
    response.writeHead(200, headers);
    response.write(text);
  };
}

/**
 * A TCP server that answers each request, by path, with raw bytes no HTTP library would send,
 * and keeps the connection open (the client must decide by itself that it is broken).
 */
export function startRawServer(answers: Record<string, string>): Promise<RawTcpServer> {
  return startRawTcpServer((socket, chunk) => {
    const path = chunk.toString("latin1").split(" ")[1] ?? "";
    socket.write(answers[path] ?? "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n");
  });
}

/** `sse-tool load --json <args>` spawned as a user runs it, with its report parsed. */
export async function runLoad(
  args: string[],
  options?: CliRunOptions,
): Promise<CliResult & { report: LoadReport }> {
  const result = await runCli(["load", "--json", ...args], { killAfterMs: 25_000, ...options });
  try {
    return { ...result, report: JSON.parse(result.stdout) as LoadReport };
  } catch {
    throw new Error(`no JSON report (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}
