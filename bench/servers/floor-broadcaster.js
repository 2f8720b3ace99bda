/**
 * The fan-out floor: about 20 lines of node:http that encode each stdin chunk once and write it
 * to every client. No history, no ids, no back-pressure. HEARTBEAT_MS enables ":" heartbeats.
 */
import http from "node:http";

const clients = new Set();
const server = http.createServer((request, response) => {
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  response.flushHeaders();
  clients.add(response);
  request.on("close", () => clients.delete(response));
});
let partial = "";
process.stdin.setEncoding("utf8").on("data", (/** @type {string} */ chunk) => {
  const lines = (partial + chunk).split("\n");
  partial = lines.pop() ?? "";
  let text = "";
  for (const line of lines) if (line !== "") text += `data: ${line}\n\n`;
  if (text === "") return;
  const bytes = Buffer.from(text);
  for (const client of clients) client.write(bytes);
});
const heartbeatMs = Number(process.env.HEARTBEAT_MS ?? 0);
if (heartbeatMs > 0) {
  setInterval(() => {
    for (const client of clients) client.write(":\n\n");
  }, heartbeatMs);
}
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === "object" && address?.port })}\n`,
  );
});
