/**
 * The MCP fake's endpoint, Streamable HTTP (revision 2025-11-25; 2025-06-18 and 2025-03-26
 * clients are answered in theirs): POST carries JSON-RPC messages, answered on an SSE stream
 * that starts with a priming event; GET opens a stream, or resumes one with Last-Event-ID;
 * DELETE ends the session. Per-request faults come in `SSE-Tool-Fault` as on serve's streams:
 * `drop-after=N` closes the response stream after N events, the priming one counted (1: right
 * after it; the rest waits for a resume), `fail-first=N, fail-status=404` forgets the session
 * of the first N requests that have one (406: refuses the Accept), `latency=200ms` waits
 * before answering. Host and Origin were checked at the gate.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { protocolVersionHeader, sessionIdHeader } from "../../mcp-protocol/header-names.js";
import {
  invalidRequest,
  type JsonRpcRequest,
  parseError,
  parseMessages,
} from "../../mcp-protocol/jsonrpc.js";
import { streamableRevisions } from "../../mcp-protocol/revisions.js";
import {
  faultHeaderName,
  faultQueryName,
  parseFaultSpec,
  type RequestFaults,
} from "../faults/request-faults.js";
import { readRequestBody } from "../http/read-body.js";
import type { Route } from "../http/sse-server.js";
import { reportRequestFaults } from "../journal/journal-recorder.js";
import { answerMethod, initializeResult, planToolCall, stepNotification } from "./answers.js";
import { ResumableStream } from "./resumable-stream.js";
import type { McpFakeTools } from "./tools-file.js";

export interface McpFakeRouteOptions {
  tools: McpFakeTools;
  /** The endpoint's path, e.g. "/mcp". */
  path: string;
  /** Aborted when the server closes: waits end, open streams are closed. */
  finishNow: AbortSignal;
  /** Ms between keep-alive comments on a quiet GET stream; 0 is off. */
  heartbeatMs: number;
  log: (message: string) => void;
}

/** Sessions at most; the oldest is forgotten first. */
const maxSessions = 1000;
/** Streams kept per session for resumes. */
const maxStreams = 100;
/** A request body is a message or a batch of them, not an upload. */
const maxRequestBytes = 4 * 1024 ** 2;

interface Session {
  revision: string;
  streams: Map<string, ResumableStream>;
  nextStream: number;
}

export function mcpFakeRoutes(options: McpFakeRouteOptions): Route[] {
  const sessions = new Map<string, Session>();
  const failCounts = new Map<string, number>();
  const open = new Set<ServerResponse>();
  options.finishNow.addEventListener("abort", () => {
    for (const response of open) response.end();
  });
  const track = (response: ServerResponse) => {
    open.add(response);
    response.once("close", () => open.delete(response));
  };

  /** The request's faults, a 400 for a bad spec, or a fault's own answer (true: answered). */
  const faultsOf = (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
  ): RequestFaults | true | undefined => {
    // A browser client reads the session id only if it is exposed (the Origin was checked).
    response.setHeader("Access-Control-Expose-Headers", "Mcp-Session-Id");
    const header = request.headers[faultHeaderName];
    const query = url.searchParams.get(faultQueryName);
    if (typeof header === "string" && query !== null) {
      plain(response, 400, `bad ${faultHeaderName}: in the header or the URL, not both`);
      return true;
    }
    const spec = typeof header === "string" ? header : query;
    if (spec === null) return undefined;
    const read = parseFaultSpec(spec);
    if (!read.ok) {
      plain(response, 400, `bad ${faultHeaderName}: ${read.problem}`);
      return true;
    }
    reportRequestFaults(request, read.faults.spec);
    const { failFirst, failStatus } = read.faults.options;
    const id = sessionIdOf(request);
    // A session can only be lost by a request that has one.
    const applies = !(failStatus === 404 && id === undefined);
    if (applies && (failFirst !== undefined || failStatus !== undefined)) {
      const seen = failCounts.get(read.faults.key) ?? 0;
      if (failCounts.size > maxSessions) failCounts.clear();
      failCounts.set(read.faults.key, seen + 1);
      if (seen < (failFirst ?? Number.POSITIVE_INFINITY)) {
        const status = failStatus ?? 503;
        if (status === 404 && id !== undefined) sessions.delete(id);
        rpcFailure(response, status, faultMessage(status));
        return true;
      }
    }
    return read.faults;
  };

  const sessionOf = (request: IncomingMessage, response: ServerResponse): Session | undefined => {
    const id = sessionIdOf(request);
    if (id === undefined) {
      rpcFailure(response, 400, "Bad Request: Mcp-Session-Id header is required");
      return undefined;
    }
    const session = sessions.get(id);
    if (session === undefined) rpcFailure(response, 404, "Session not found");
    return session;
  };

  const versionRefused = (request: IncomingMessage, response: ServerResponse): boolean => {
    const version = request.headers[protocolVersionHeader];
    if (version === undefined) return false;
    if ((streamableRevisions as readonly string[]).includes(String(version))) return false;
    rpcFailure(
      response,
      400,
      `Bad Request: unsupported MCP-Protocol-Version ${String(version).slice(0, 40)}`,
    );
    return true;
  };

  const newStream = (session: Session): ResumableStream => {
    const stream = new ResumableStream(String(session.nextStream++));
    session.streams.set(stream.id, stream);
    if (session.streams.size > maxStreams) {
      session.streams.delete(session.streams.keys().next().value!);
    }
    return stream;
  };

  const post = async (request: IncomingMessage, response: ServerResponse, url: URL) => {
    const faults = faultsOf(request, response, url);
    if (faults === true) return;
    if (!accepts(request, ["application/json", "text/event-stream"])) {
      rpcFailure(
        response,
        406,
        "Not Acceptable: Accept must list application/json and text/event-stream",
      );
      return;
    }
    if (!String(request.headers["content-type"] ?? "").includes("application/json")) {
      rpcFailure(response, 415, "Unsupported Media Type: Content-Type must be application/json");
      return;
    }
    const read = await readRequestBody(request, maxRequestBytes);
    if (read === "aborted") return;
    if (read === "too-large") {
      response.setHeader("Connection", "close");
      rpcFailure(response, 413, "Payload Too Large");
      return;
    }
    const messages = parseMessages(read.toString("utf8"));
    if (typeof messages === "string") {
      rpcFailure(
        response,
        400,
        `Parse error: ${messages}`,
        messages === "not JSON" ? parseError : invalidRequest,
      );
      return;
    }
    const requests = messages.flatMap((m) => (m.kind === "request" ? [m.message] : []));
    const initialize = requests.find((r) => r.method === "initialize");
    if (initialize !== undefined) {
      if (messages.length !== 1) {
        rpcFailure(response, 400, "Invalid Request: initialize must be sent alone", invalidRequest);
        return;
      }
      const result = initializeResult(options.tools, initialize.params?.protocolVersion);
      const id = randomUUID();
      sessions.set(id, {
        revision: String(result.protocolVersion),
        streams: new Map(),
        nextStream: 1,
      });
      if (sessions.size > maxSessions) sessions.delete(sessions.keys().next().value!);
      options.log(
        `mcp-fake: ${request.socket.remoteAddress} initialized session ${id} (${result.protocolVersion})`,
      );
      response
        .writeHead(200, { "Content-Type": "application/json", [sessionIdHeader]: id })
        .end(JSON.stringify({ jsonrpc: "2.0", id: initialize.id, result }));
      return;
    }
    if (versionRefused(request, response)) return;
    const session = sessionOf(request, response);
    if (session === undefined) return;
    if (faults?.options.latency) await wait(faults.options.latency, options.finishNow);
    if (requests.length === 0) {
      response.writeHead(202).end();
      return;
    }
    response.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache",
      Connection: "keep-alive",
      [sessionIdHeader]: sessionIdOf(request)!,
    });
    response.flushHeaders();
    track(response);
    const stream = newStream(session);
    stream.attach(response, 0, faults?.options.dropAfter);
    // 2025-11-25 clients know a priming event; older ones may not.
    if (session.revision >= "2025-11-25") stream.prime();
    await Promise.all(requests.map((r) => answer(r, stream)));
    stream.finish();
  };

  const answer = async (request: JsonRpcRequest, stream: ResumableStream) => {
    if (request.method !== "tools/call") {
      stream.send({
        jsonrpc: "2.0",
        id: request.id,
        ...answerMethod(options.tools, request.method, request.params),
      });
      return;
    }
    const plan = planToolCall(options.tools, request.params);
    if ("error" in plan) {
      stream.send({ jsonrpc: "2.0", id: request.id, error: plan.error });
      return;
    }
    const meta = request.params?._meta as { progressToken?: unknown } | undefined;
    for (const step of plan.steps) {
      if ("waitMs" in step) await wait(step.waitMs, options.finishNow);
      else if ("closeStream" in step) stream.closeConnection();
      else {
        const notification = stepNotification(step, meta?.progressToken);
        if (notification !== undefined) stream.send({ jsonrpc: "2.0", ...notification });
      }
    }
    stream.send({ jsonrpc: "2.0", id: request.id, result: plan.result });
  };

  const get = (request: IncomingMessage, response: ServerResponse, url: URL) => {
    const faults = faultsOf(request, response, url);
    if (faults === true) return;
    if (!accepts(request, ["text/event-stream"])) {
      rpcFailure(response, 406, "Not Acceptable: Accept must list text/event-stream");
      return;
    }
    if (versionRefused(request, response)) return;
    const session = sessionOf(request, response);
    if (session === undefined) return;
    const lastEventId = request.headers["last-event-id"];
    const headers = {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache",
      Connection: "keep-alive",
    };
    if (typeof lastEventId === "string") {
      const dash = lastEventId.lastIndexOf("-");
      const stream = session.streams.get(lastEventId.slice(0, dash));
      const after = Number(lastEventId.slice(dash + 1));
      if (stream === undefined || !Number.isSafeInteger(after)) {
        rpcFailure(response, 404, "No stream with that Last-Event-ID");
        return;
      }
      response.writeHead(200, headers);
      response.flushHeaders();
      track(response);
      stream.attach(response, after, faults?.options.dropAfter);
      return;
    }
    // A stream of the server's own messages: the fake sends none, so it only primes and waits.
    response.writeHead(200, headers);
    response.flushHeaders();
    track(response);
    const stream = newStream(session);
    stream.attach(response, 0, faults?.options.dropAfter);
    if (session.revision >= "2025-11-25") stream.prime();
    if (options.heartbeatMs > 0) {
      const timer = setInterval(() => stream.keepAlive(), options.heartbeatMs);
      response.once("close", () => clearInterval(timer));
    }
  };

  const remove = (request: IncomingMessage, response: ServerResponse, url: URL) => {
    const faults = faultsOf(request, response, url);
    if (faults === true) return;
    const id = sessionIdOf(request);
    if (sessionOf(request, response) === undefined) return;
    sessions.delete(id!);
    options.log(`mcp-fake: session ${id} ended by the client`);
    response.writeHead(200).end();
  };

  return [
    { method: "POST", path: options.path, handle: post },
    { method: "GET", path: options.path, handle: get },
    { method: "DELETE", path: options.path, handle: remove },
  ];
}

function sessionIdOf(request: IncomingMessage): string | undefined {
  const id = request.headers[sessionIdHeader];
  return typeof id === "string" ? id : undefined;
}

/** Whether Accept lists every one of `types` (or a wildcard). */
function accepts(request: IncomingMessage, types: string[]): boolean {
  const accept = String(request.headers.accept ?? "").toLowerCase();
  if (accept.includes("*/*")) return true;
  return types.every((type) => accept.includes(type));
}

function faultMessage(status: number): string {
  if (status === 404) return "Session not found (sse-tool fault)";
  if (status === 406) return "Not Acceptable (sse-tool fault)";
  return `HTTP ${status} (sse-tool fault)`;
}

function rpcFailure(
  response: ServerResponse,
  status: number,
  message: string,
  code = -32000,
): void {
  response
    .writeHead(status, { "Content-Type": "application/json" })
    .end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code, message } }));
}

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { "Content-Type": "text/plain" }).end(`${text}\n`);
}

async function wait(ms: number, finishNow: AbortSignal): Promise<void> {
  if (finishNow.aborted) return;
  await sleep(ms, undefined, { signal: finishNow }).catch(() => {});
}
