/**
 * The origin behind the real proxies: `/ticks` sends an event every 100 ms, each padded to
 * about 500 bytes so that a proxy's 4 or 8 KiB buffer fills within a second (a buffering hop
 * shows itself within a short watch); `/quiet` sends one event and then only a heartbeat every
 * `?ping=` ms (none by default), to be cut by an idle timeout; `/silent` never answers (a
 * gateway times out waiting for its headers). `?accel=no` adds X-Accel-Buffering: no.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { startTestServer, type TestServer } from "../../helpers/http-test-server.js";

export const tickEveryMs = 100;
const padding = "x".repeat(480);

function stream(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? "/", "http://origin");
  const headers: Record<string, string> = {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
  };
  if (url.searchParams.get("accel") === "no") headers["x-accel-buffering"] = "no";
  response.writeHead(200, headers);
  let id = Number(request.headers["last-event-id"] ?? 0);
  const send = () => {
    id++;
    response.write(`id: ${id}\ndata: tick ${id} ${padding}\n\n`);
  };
  response.write("retry: 2000\n\n");
  send();
  const timers: NodeJS.Timeout[] = [];
  if (url.pathname === "/ticks") timers.push(setInterval(send, tickEveryMs));
  const pingMs = Number(url.searchParams.get("ping") ?? 0);
  if (pingMs > 0) timers.push(setInterval(() => response.write(": ping\n\n"), pingMs));
  response.on("close", () => {
    for (const timer of timers) clearInterval(timer);
  });
}

export function startUpstream(): Promise<TestServer> {
  return startTestServer({ "/ticks": stream, "/quiet": stream, "/silent": () => {} });
}
