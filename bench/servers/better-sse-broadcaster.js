/**
 * The fan-out peer: a `better-sse` channel server. Each stdin line is broadcast as one event
 * (data sent as-is, like the other servers). HEARTBEAT_MS sets better-sse's keep-alive.
 */
import http from "node:http";
import { createInterface } from "node:readline";
import { createChannel, createSession } from "better-sse";

const heartbeatMs = Number(process.env.HEARTBEAT_MS ?? 0);
const channel = createChannel();
const server = http.createServer(async (request, response) => {
  const session = await createSession(request, response, {
    keepAlive: heartbeatMs > 0 ? heartbeatMs : null,
    retry: null,
    serializer: (data) => String(data),
  });
  channel.register(session);
});
createInterface({ input: process.stdin }).on("line", (line) => {
  if (line !== "") channel.broadcast(line, "message");
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === "object" && address?.port })}\n`,
  );
});
