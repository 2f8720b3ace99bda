/**
 * A route that sends 64 MB of events only as fast as the client reads them, and keeps count:
 * how much it sent, and since when it has been blocked waiting for the client. For tests that
 * show a slow reader pauses the reading of the response (memory and reads stay bounded).
 */
import type { RouteHandler } from "./http-test-server.js";

export interface Flood {
  route: RouteHandler;
  /** Bytes handed to the socket so far. */
  sentBytes: number;
  /** When the last write was refused (0 while not blocked). */
  blockedSince: number;
  /** Everything it would send. */
  readonly totalBytes: number;
}

const floodChunk = Buffer.from("data: 0123456789abcdef0123456789abcdef0123456789\n\n".repeat(1300));

export function createFlood(): Flood {
  const flood: Flood = {
    sentBytes: 0,
    blockedSince: 0,
    totalBytes: 64 * 1024 ** 2,
    route: (_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      const pump = () => {
        flood.blockedSince = 0;
        while (flood.sentBytes < flood.totalBytes && !response.destroyed) {
          flood.sentBytes += floodChunk.length;
          if (!response.write(floodChunk)) {
            flood.blockedSince = Date.now();
            return void response.once("drain", pump);
          }
        }
        response.end();
      };
      pump();
    },
  };
  return flood;
}

/** Resolves once the flood has been blocked for `ms` (or has sent everything). */
export async function floodBlockedFor(flood: Flood, ms: number): Promise<void> {
  while (
    flood.sentBytes < flood.totalBytes &&
    (flood.blockedSince === 0 || Date.now() - flood.blockedSince < ms)
  ) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
