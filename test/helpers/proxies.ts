/**
 * Proxies as they are met in front of event streams, on 127.0.0.1 port 0:
 * - a forward proxy that behaves like a stock Squid: absolute-form requests (`GET
 *   http://host/path`) are forwarded; CONNECT is allowed only to port 443 unless the test allows
 *   more (Squid: `http_access deny CONNECT !SSL_ports`, answered 403);
 * - a buffering reverse proxy that behaves like nginx with `proxy_buffering on` (its default):
 *   nothing of the upstream response, headers included, reaches the client until `bufferBytes`
 *   of it arrived or the upstream response ended.
 * Each records what it was asked, so a test sees how a client spoke to it.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";

export interface RunningProxy {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** What was asked, in order: "GET http://127.0.0.1:1234/events", "CONNECT 127.0.0.1:443". */
  requests: string[];
  close(): Promise<void>;
}

async function listen(server: Server, sockets: Set<Socket>): Promise<RunningProxy["url"]> {
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  };
}

/** Forwards `request` (absolute-form or origin-form to `upstream`) and answers `response`. */
function forward(
  request: IncomingMessage,
  response: ServerResponse,
  target: URL,
  sockets: Set<Socket>,
  onResponse: (upstream: IncomingMessage) => void,
): void {
  const upstream = httpRequest(
    {
      host: target.hostname,
      port: target.port,
      method: request.method,
      path: `${target.pathname}${target.search}`,
      headers: { ...request.headers, host: target.host },
    },
    onResponse,
  );
  upstream.on("socket", (socket) => sockets.add(socket));
  upstream.on("error", () => {
    if (!response.headersSent) response.writeHead(502).end("bad gateway");
    else response.destroy();
  });
  response.on("close", () => upstream.destroy());
  request.pipe(upstream);
}

export async function startForwardProxy(
  options: { allowConnect?: (port: number) => boolean } = {},
): Promise<RunningProxy> {
  const allowConnect = options.allowConnect ?? ((port: number) => port === 443);
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    let target: URL;
    try {
      target = new URL(request.url ?? "");
    } catch {
      // Origin-form: this is a proxy, not the server.
      response.writeHead(400).end("absolute-form request expected");
      return;
    }
    forward(request, response, target, sockets, (upstream) => {
      response.writeHead(upstream.statusCode ?? 502, upstream.headers);
      upstream.pipe(response);
    });
  });
  server.on("connect", (request: IncomingMessage, client: Socket, head: Buffer) => {
    requests.push(`CONNECT ${request.url}`);
    const [host, port] = (request.url ?? "").split(":");
    client.on("error", () => {});
    if (!allowConnect(Number(port))) {
      client.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    const upstream = connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(client).add(upstream);
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
  });
  const url = await listen(server, sockets);
  return { url, requests, close: closer(server, sockets) };
}

export interface BufferingProxy extends RunningProxy {
  /**
   * How long the client kept the connection of its request for `path` open, in ms, from the
   * request's arrival to the client closing it: the client's own wait, without the time it took
   * to start (which a loaded machine stretches).
   */
  heldOpenMs(path: string): Promise<number>;
}

/** A reverse proxy to `upstreamUrl` that holds each response until `bufferBytes` arrived. */
export async function startBufferingProxy(
  upstreamUrl: string,
  bufferBytes: number,
): Promise<BufferingProxy> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const upstreamBase = new URL(upstreamUrl);
  const heldOpen = new Map<string, Promise<number>>();
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    const arrivedAt = performance.now();
    heldOpen.set(
      request.url ?? "/",
      new Promise((resolve) =>
        request.socket.once("close", () => resolve(performance.now() - arrivedAt)),
      ),
    );
    const target = new URL(request.url ?? "/", upstreamBase);
    forward(request, response, target, sockets, (upstream) => {
      const held: Buffer[] = [];
      let heldBytes = 0;
      let flushed = false;
      const flush = () => {
        if (flushed) return;
        flushed = true;
        response.writeHead(upstream.statusCode ?? 502, upstream.headers);
        for (const chunk of held) response.write(chunk);
      };
      upstream.on("data", (chunk: Buffer) => {
        if (flushed) return void response.write(chunk);
        held.push(chunk);
        heldBytes += chunk.length;
        if (heldBytes >= bufferBytes) flush();
      });
      upstream.on("end", () => {
        flush();
        response.end();
      });
    });
  });
  const url = await listen(server, sockets);
  const heldOpenMs = (path: string) => {
    const held = heldOpen.get(path);
    if (held === undefined) throw new Error(`the proxy had no request for ${path}`);
    return held;
  };
  return { url, requests, close: closer(server, sockets), heldOpenMs };
}
