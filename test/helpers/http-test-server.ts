/**
 * Real `node:http` servers on 127.0.0.1, port 0, for tests. One route per scenario, as in the
 * eventsource package's test server; `close()` also destroys open streams.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface TestServer {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  server: Server;
  /** Every request received, in order (method, url, headers). */
  requests: IncomingMessage[];
  close(): Promise<void>;
}

/** Starts a server whose routes map a path (without query) to a handler; others get 404. */
export async function startTestServer(routes: Record<string, RouteHandler>): Promise<TestServer> {
  const requests: IncomingMessage[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    requests.push(request);
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const handler = routes[path];
    if (handler) handler(request, response);
    else response.writeHead(404).end("not found");
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Headers of a well-behaved event stream. */
export const eventStreamHeaders = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache",
} as const;

/** A handler that writes `chunks` (strings or bytes) one by one, then ends the response. */
export function sendChunks(
  chunks: Array<string | Uint8Array>,
  headers = eventStreamHeaders,
): RouteHandler {
  return (_request, response) => {
    response.writeHead(200, headers);
    for (const chunk of chunks) response.write(chunk);
    response.end();
  };
}
