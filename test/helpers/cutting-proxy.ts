/**
 * A TCP proxy on 127.0.0.1 port 0 that a test can use to cut a client off a server that keeps
 * running: `cut()` destroys every forwarded connection, `hold()` keeps new connections waiting
 * (not forwarded) until `release()`. Each request's head is recorded, so a test sees the
 * `Last-Event-ID` a reconnecting browser sent and when it came.
 */

import type { AddressInfo } from "node:net";
import { createConnection, createServer, type Server, type Socket } from "node:net";

export interface ProxiedRequest {
  /** performance.now() when the request's first bytes arrived. */
  atMs: number;
  /** The request line and headers, as sent. */
  head: string;
  /** Header value by lower-case name, from `head`. */
  header(name: string): string | undefined;
}

export interface CuttingProxy {
  /** Base URL of the proxy, e.g. http://127.0.0.1:41234 */
  url: string;
  requests: ProxiedRequest[];
  /** Resolves with the n-th request (1-based) once it has arrived. */
  request(n: number): Promise<ProxiedRequest>;
  /** Destroys every open connection (both sides); returns performance.now() at the cut. */
  cut(): number;
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

export async function startCuttingProxy(targetPort: number): Promise<CuttingProxy> {
  const requests: ProxiedRequest[] = [];
  const open = new Set<Socket>();
  let holding = false;
  let held: Array<() => void> = [];
  let waiters: Array<() => void> = [];

  const forward = (client: Socket, firstChunk: Buffer) => {
    const upstream = createConnection({ host: "127.0.0.1", port: targetPort });
    open.add(upstream);
    upstream.on("close", () => {
      open.delete(upstream);
      client.destroy();
    });
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.write(firstChunk);
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const server: Server = createServer((client) => {
    open.add(client);
    client.on("close", () => open.delete(client));
    client.on("error", () => {});
    // A request counts when its first bytes arrive (browsers may open spare connections).
    client.once("data", (firstChunk: Buffer) => {
      client.pause();
      const head = firstChunk.toString("latin1").split("\r\n\r\n")[0] ?? "";
      requests.push({
        atMs: performance.now(),
        head,
        header(name) {
          const pattern = new RegExp(`^${name}:[ \\t]*(.*)$`, "im");
          return pattern.exec(head)?.[1]?.trim();
        },
      });
      const notify = waiters;
      waiters = [];
      for (const waiter of notify) waiter();
      const go = () => {
        if (!client.destroyed) forward(client, firstChunk);
      };
      if (holding) held.push(go);
      else go();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    request(n) {
      return new Promise((resolve) => {
        const check = () => {
          const found = requests[n - 1];
          if (found) resolve(found);
          else waiters.push(check);
        };
        check();
      });
    },
    cut() {
      const at = performance.now();
      for (const socket of open) socket.destroy();
      return at;
    },
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      const toForward = held;
      held = [];
      for (const go of toForward) go();
    },
    close() {
      for (const socket of open) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
