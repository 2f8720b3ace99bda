/**
 * A hand-written MCP endpoint on node:http for what the SDK will not do: answer with a
 * revision nobody knows, send hostile text in a tool's description, answer GET with JSON or
 * 405. JSON responses only; no sessions.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface HandmadeServerOptions {
  revision: string;
  /**
   * What GET answers: no stream (405), JSON by mistake, or a stream that closes after one
   * notification (numbered by the GET's count, with an id and `retry: 50`).
   */
  get: "405" | "json" | "closing";
  toolDescription?: string;
  /** Answer notifications with an event stream that never ends, instead of 202. */
  notificationStream?: boolean;
}

export async function startHandmadeServer(
  options: HandmadeServerOptions,
): Promise<{ url: string; lastEventIds: string[]; close(): Promise<void> }> {
  let gets = 0;
  const lastEventIds: string[] = [];
  const server = createServer(async (request, response) => {
    if (request.method === "GET") {
      if (options.get === "closing") {
        gets++;
        lastEventIds.push(String(request.headers["last-event-id"] ?? ""));
        const note = {
          jsonrpc: "2.0",
          method: "notifications/message",
          params: { data: `note ${gets}` },
        };
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.end(`retry: 50\nid: ${gets}\ndata: ${JSON.stringify(note)}\n\n`);
        return;
      }
      if (options.get === "405") {
        response.writeHead(405, { allow: "POST" }).end();
      } else {
        response.writeHead(200, { "content-type": "application/json" }).end("{}");
      }
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const message = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
      id?: number;
      method?: string;
    };
    if (message.id === undefined) {
      if (options.notificationStream) {
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.write(": open\n\n");
        return;
      }
      response.writeHead(202).end();
      return;
    }
    const results: Record<string, unknown> = {
      initialize: {
        protocolVersion: options.revision,
        serverInfo: { name: "handmade", version: "0.0.1" },
        capabilities: { tools: {} },
      },
      "tools/list": {
        tools: [
          {
            name: "t",
            description: options.toolDescription ?? "a tool",
            inputSchema: { type: "object" },
          },
        ],
      },
    };
    response.writeHead(200, { "content-type": "application/json" });
    response.end(
      JSON.stringify({
        jsonrpc: "2.0",
        id: message.id,
        result: results[message.method ?? ""] ?? {},
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    lastEventIds,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
