/**
 * Routes for the doctor tests: one well-behaved event stream and, per fault, the same stream
 * with exactly one thing wrong. Events every 100 ms with ids 1, 2, 3 ... (continuing after the
 * Last-Event-ID of a reconnect), a heartbeat comment every 250 ms, retry: 2000 at the start.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import zlib from "node:zlib";
import type { RouteHandler } from "../helpers/http-test-server.js";

export interface StreamFaults {
  status?: number;
  contentType?: string;
  gzip?: boolean;
  cacheControl?: string | null;
  accelBuffering?: string | null;
  cors?: string | null;
  /** Hold writes and flush them every `bufferFlushMs` (a buffering proxy). */
  bufferFlushMs?: number;
  noHeartbeat?: boolean;
  noIds?: boolean;
  /** Ignore Last-Event-ID: every connection starts again at id 1. */
  ignoreLastEventId?: boolean;
  noRetry?: boolean;
  /** Every other event ends its lines with CRLF. */
  mixedLineEndings?: boolean;
  /** The first event carries one data line of this many bytes. */
  bigLineBytes?: number;
  /** More response headers (Server, Via: the hops in front). */
  extraHeaders?: Record<string, string>;
  /** One event, then nothing: a quiet stream. */
  quiet?: boolean;
}

export const eventIntervalMs = 100;
export const heartbeatIntervalMs = 250;

export function streamRoute(faults: StreamFaults = {}): RouteHandler {
  return (request: IncomingMessage, response: ServerResponse) => {
    const headers: Record<string, string> = {
      "content-type": faults.contentType ?? "text/event-stream; charset=utf-8",
    };
    const optional: Array<[string, string | null | undefined, string]> = [
      ["cache-control", faults.cacheControl, "no-cache, no-transform"],
      ["x-accel-buffering", faults.accelBuffering, "no"],
      ["access-control-allow-origin", faults.cors, "*"],
    ];
    for (const [name, value, good] of optional) {
      if (value === undefined) headers[name] = good;
      else if (value !== null) headers[name] = value;
    }
    if (faults.gzip) headers["content-encoding"] = "gzip";
    Object.assign(headers, faults.extraHeaders);
    response.writeHead(faults.status ?? 200, headers);
    if (faults.status !== undefined && faults.status !== 200) {
      response.end('{"error":"nope"}');
      return;
    }

    let send: (text: string) => void;
    const timers: NodeJS.Timeout[] = [];
    if (faults.gzip) {
      const gzip = zlib.createGzip();
      gzip.pipe(response);
      send = (text) => {
        gzip.write(text);
        gzip.flush(zlib.constants.Z_SYNC_FLUSH);
      };
      response.on("close", () => gzip.destroy());
    } else if (faults.bufferFlushMs !== undefined) {
      let held = "";
      send = (text) => {
        held += text;
      };
      timers.push(
        setInterval(() => {
          if (held !== "") response.write(held);
          held = "";
        }, faults.bufferFlushMs),
      );
    } else {
      send = (text) => response.write(text);
    }

    const lastEventId = request.headers["last-event-id"];
    let id = faults.ignoreLastEventId ? 0 : Number(lastEventId ?? 0);
    if (!faults.noRetry) send("retry: 2000\n\n");
    const emit = () => {
      id++;
      const eol = faults.mixedLineEndings && id % 2 === 0 ? "\r\n" : "\n";
      const data =
        faults.bigLineBytes !== undefined && id === 1
          ? "x".repeat(faults.bigLineBytes)
          : `tick ${id}`;
      const idLine = faults.noIds ? "" : `id: ${id}${eol}`;
      send(`${idLine}event: tick${eol}data: ${data}${eol}${eol}`);
    };
    emit();
    if (!faults.quiet) timers.push(setInterval(emit, eventIntervalMs));
    if (!faults.noHeartbeat && !faults.quiet)
      timers.push(setInterval(() => send(": ping\n\n"), heartbeatIntervalMs));
    response.on("close", () => {
      for (const timer of timers) clearInterval(timer);
    });
  };
}
