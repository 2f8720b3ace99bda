/**
 * An origin server for record and replay tests: each request is answered with a script of
 * chunks written at set times, then an end as chosen (a clean end, a dropped connection, or an
 * open stream). What it sent, and when, is kept for comparison with what a recording holds and
 * a replay sends.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";
import { type RouteHandler, startTestServer, type TestServer } from "./http-test-server.js";

export interface ScriptedResponse {
  status?: number;
  headers?: OutgoingHttpHeaders;
  /** Each chunk is written `afterMs` after the previous one (the first after the head). */
  chunks: Array<{ afterMs: number; bytes: string | Uint8Array }>;
  /** After the last chunk: end the body, cut the connection, or leave it open. */
  end: "end" | "drop" | "open";
}

export interface TimedOrigin extends TestServer {
  /** The stream URL. */
  streamUrl: string;
  /** The request headers of each request, in order. */
  requestHeaders: IncomingHttpHeaders[];
}

/**
 * Answers the nth request with `responses[n]` (the last one again for later requests), on
 * `/events`.
 */
export async function startTimedOrigin(responses: ScriptedResponse[]): Promise<TimedOrigin> {
  const requestHeaders: IncomingHttpHeaders[] = [];
  const handler: RouteHandler = (request, response) => {
    requestHeaders.push(request.headers);
    const script = responses[Math.min(requestHeaders.length - 1, responses.length - 1)]!;
    response.writeHead(script.status ?? 200, {
      "content-type": "text/event-stream",
      ...script.headers,
    });
    response.flushHeaders();
    let index = 0;
    let timer: NodeJS.Timeout | undefined;
    response.on("close", () => clearTimeout(timer));
    const next = () => {
      const chunk = script.chunks[index];
      if (chunk === undefined) {
        if (script.end === "end") response.end();
        else if (script.end === "drop") response.socket?.destroy();
        return;
      }
      timer = setTimeout(() => {
        index++;
        response.write(chunk.bytes, next);
      }, chunk.afterMs);
    };
    next();
  };
  const server = await startTestServer({ "/events": handler });
  return { ...server, streamUrl: `${server.url}/events`, requestHeaders };
}
