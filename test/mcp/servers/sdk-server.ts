/**
 * A real MCP server for the tests, on 127.0.0.1 port 0: the SDK's McpServer behind its
 * Streamable HTTP transport (sessions on or off, JSON responses on or off, an event store for
 * resumption, DNS-rebinding protection on) and its HTTP+SSE transport, plus node:http routes
 * for faults the SDK does not produce.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { InMemoryEventStore } from "@modelcontextprotocol/sdk/examples/shared/inMemoryEventStore.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

export interface McpTestServerOptions {
  /** Mcp-Session-Id given at initialize (default true). */
  sessions?: boolean;
  /** Answer with one JSON body instead of an event stream (default false). */
  json?: boolean;
  /** Comments sent on quiet streams this often (default 100 ms; 0 for none). */
  keepAliveMs?: number;
  /** Check Host and Origin against DNS rebinding (default true). */
  originCheck?: boolean;
}

export interface McpTestServer {
  url: string;
  origin: string;
  /** Sessions ended with DELETE, by id. */
  deleted: string[];
  /** Answers the server got from the client to its own requests, by method. */
  clientAnswers: Array<{ method: string; answer: unknown }>;
  close(): Promise<void>;
}

/** The browser origin the server accepts (others get 403). */
export const allowedOrigin = "http://localhost:5173";

function buildMcpServer(record: McpTestServer["clientAnswers"]): McpServer {
  const server = new McpServer(
    { name: "test-server", version: "1.2.3" },
    { capabilities: { logging: {} }, instructions: "A server for sse-tool's tests." },
  );
  server.registerTool(
    "add",
    {
      description: "Adds two numbers.\nA second line not shown.",
      inputSchema: { a: z.number(), b: z.number() },
    },
    async ({ a, b }) => ({ content: [{ type: "text", text: String(a + b) }] }),
  );
  server.registerTool(
    "long-task",
    {
      description: "Reports progress, logs, then answers.",
      inputSchema: { steps: z.number().optional() },
    },
    async ({ steps = 3 }, extra) => {
      for (let step = 1; step <= steps; step++) {
        await extra.sendNotification({
          method: "notifications/progress",
          params: { progressToken: "long", progress: step, total: steps, message: `step ${step}` },
        });
      }
      await extra.sendNotification({
        method: "notifications/message",
        params: { level: "info", data: "half way \u001b[31mred" },
      });
      return { content: [{ type: "text", text: "done" }] };
    },
  );
  server.registerTool(
    "cut-stream",
    { description: "Closes its stream after a notification; answers on the resumed one." },
    async (extra) => {
      await extra.sendNotification({
        method: "notifications/progress",
        params: { progressToken: "cut", progress: 1, total: 2, message: "before the cut" },
      });
      extra.closeSSEStream?.();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await extra.sendNotification({
        method: "notifications/progress",
        params: { progressToken: "cut", progress: 2, total: 2, message: "after the cut" },
      });
      return { content: [{ type: "text", text: "resumed fine" }] };
    },
  );
  server.registerTool(
    "ask-client",
    { description: "Asks the client for sampling, roots and a ping." },
    async (extra) => {
      const answers: string[] = [];
      for (const method of ["sampling/createMessage", "roots/list", "ping"]) {
        const params =
          method === "sampling/createMessage"
            ? { messages: [{ role: "user", content: { type: "text", text: "hi" } }], maxTokens: 5 }
            : {};
        try {
          const answer = await extra.sendRequest({ method, params } as never, z.any() as never);
          record.push({ method, answer });
          answers.push(`${method}: ok ${JSON.stringify(answer)}`);
        } catch (error) {
          record.push({ method, answer: (error as Error).message });
          answers.push(`${method}: refused`);
        }
      }
      return { content: [{ type: "text", text: answers.join("\n") }] };
    },
  );
  server.registerTool("slow", { description: "Says it waits, then waits long." }, async (extra) => {
    await extra.sendNotification({
      method: "notifications/message",
      params: { level: "info", data: "waiting" },
    });
    await new Promise((resolve) => setTimeout(resolve, 20_000).unref());
    return { content: [{ type: "text", text: "late" }] };
  });
  server.registerTool(
    "broadcast",
    { description: "Sends a notification on the server's own stream (GET)." },
    async () => {
      await server.server.notification({
        method: "notifications/message",
        params: { level: "notice", data: "to all watchers" },
      });
      return { content: [{ type: "text", text: "sent" }] };
    },
  );
  server.registerTool("hostile", { description: "Text that would move a terminal." }, async () => ({
    content: [{ type: "text", text: "title\u001b]0;owned\u0007 \u202eevil" }],
  }));
  server.registerTool("fails", { description: "Always fails." }, async () => ({
    isError: true,
    content: [{ type: "text", text: "it broke" }],
  }));
  server.registerTool("picture", { description: "An image." }, async () => ({
    content: [
      { type: "text", text: "here:" },
      { type: "image", data: Buffer.alloc(300).toString("base64"), mimeType: "image/png" },
    ],
  }));
  server.registerResource(
    "notes",
    "file:///notes.md",
    { mimeType: "text/markdown", description: "Notes" },
    async (uri) => ({ contents: [{ uri: uri.href, text: "# Notes\nremember" }] }),
  );
  server.registerPrompt(
    "greet",
    { description: "Says hello.", argsSchema: { name: z.string() } },
    ({ name }) => ({ messages: [{ role: "user", content: { type: "text", text: `Hi ${name}` } }] }),
  );
  return server;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? undefined : JSON.parse(text);
}

function cors(response: ServerResponse): void {
  response.setHeader("access-control-allow-origin", allowedOrigin);
  response.setHeader("access-control-expose-headers", "Mcp-Session-Id");
}

export async function startMcpTestServer(
  options: McpTestServerOptions = {},
): Promise<McpTestServer> {
  const sessions = options.sessions ?? true;
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const legacy = new Map<string, SSEServerTransport>();
  const deleted: string[] = [];
  const clientAnswers: McpTestServer["clientAnswers"] = [];
  let host = "";

  const newTransport = () => {
    const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: sessions ? () => randomUUID() : undefined,
      enableJsonResponse: options.json === true,
      eventStore: new InMemoryEventStore(),
      retryInterval: 50,
      keepAliveMs: options.keepAliveMs ?? 100,
      enableDnsRebindingProtection: options.originCheck ?? true,
      allowedHosts: [host],
      allowedOrigins: [allowedOrigin],
      onsessioninitialized: (id) => {
        transports.set(id, created);
      },
      onsessionclosed: (id) => {
        deleted.push(id);
        transports.delete(id);
      },
    });
    return created;
  };

  const http = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    try {
      if (url.pathname === "/mcp") {
        cors(response);
        if (request.method === "OPTIONS") {
          response.writeHead(204, {
            "access-control-allow-methods": "GET, POST, DELETE",
            "access-control-allow-headers": "Content-Type, Mcp-Session-Id, MCP-Protocol-Version",
          });
          response.end();
          return;
        }
        const body = request.method === "POST" ? await readJson(request) : undefined;
        const sessionId = request.headers["mcp-session-id"];
        if (!sessions) {
          const transport = newTransport();
          const server = buildMcpServer(clientAnswers);
          await server.connect(transport);
          await transport.handleRequest(request, response, body);
          response.on("close", () => void server.close());
          return;
        }
        if (typeof sessionId === "string") {
          const existing = transports.get(sessionId);
          if (existing === undefined) {
            response.writeHead(404, { "content-type": "application/json" });
            response.end(
              JSON.stringify({
                jsonrpc: "2.0",
                id: null,
                error: { code: -32001, message: "Session not found" },
              }),
            );
            return;
          }
          await existing.handleRequest(request, response, body);
          return;
        }
        if ((body as { method?: string } | undefined)?.method === "initialize") {
          const transport = newTransport();
          await buildMcpServer(clientAnswers).connect(transport);
          await transport.handleRequest(request, response, body);
          return;
        }
        response.writeHead(400, { "content-type": "application/json" });
        response.end(
          JSON.stringify({
            jsonrpc: "2.0",
            id: null,
            error: { code: -32000, message: "Bad Request: Mcp-Session-Id header is required" },
          }),
        );
        return;
      }
      if (url.pathname === "/legacy" && request.method === "GET") {
        const sse = new SSEServerTransport("/legacy/messages", response);
        legacy.set(sse.sessionId, sse);
        await buildMcpServer(clientAnswers).connect(sse);
        return;
      }
      if (url.pathname === "/legacy" && request.method === "POST") {
        response.writeHead(405).end();
        return;
      }
      if (url.pathname === "/legacy/messages") {
        const sse = legacy.get(url.searchParams.get("sessionId") ?? "");
        if (sse === undefined) {
          response.writeHead(404).end();
          return;
        }
        await sse.handlePostMessage(request, response, await readJson(request));
        return;
      }
      if (url.pathname === "/faults/not-legacy" || url.pathname === "/faults/foreign-endpoint") {
        // POST refused, and a GET stream that is not (or not safely) the HTTP+SSE transport.
        if (request.method !== "GET") {
          response.writeHead(405).end();
          return;
        }
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.write(
          url.pathname === "/faults/not-legacy"
            ? "data: hello\n\n"
            : "event: endpoint\ndata: http://evil.example/messages\n\n",
        );
        return;
      }
      if (url.pathname === "/faults/accept") {
        // A server that wants only application/json in Accept, and says so with 406.
        response.writeHead(406, { "content-type": "application/json" });
        response.end(
          JSON.stringify({
            jsonrpc: "2.0",
            id: null,
            error: {
              code: -32000,
              message: "Not Acceptable: Client must accept application/json only",
            },
          }),
        );
        return;
      }
      if (url.pathname === "/faults/auth") {
        response.writeHead(401, {
          "www-authenticate": `Bearer resource_metadata="http://${host}/.well-known/oauth-protected-resource/mcp"`,
        });
        response.end();
        return;
      }
      if (url.pathname === "/faults/text") {
        response.writeHead(200, { "content-type": "text/html" });
        response.end("<html>not mcp</html>");
        return;
      }
      response.writeHead(404).end();
    } catch (error) {
      if (!response.headersSent) response.writeHead(500);
      response.end(String(error));
    }
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  host = `127.0.0.1:${port}`;
  const origin = `http://${host}`;
  return {
    url: `${origin}/mcp`,
    origin,
    deleted,
    clientAnswers,
    close: async () => {
      for (const open of transports.values()) await open.close().catch(() => {});
      for (const open of legacy.values()) await open.close().catch(() => {});
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
