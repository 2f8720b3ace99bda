/**
 * The answer to a request the server sends the client mid-call (sampling/createMessage,
 * elicitation/create, roots/list, ping), so the server never waits for ever. Pure.
 */
import {
  type JsonRpcRequest,
  type JsonRpcResponse,
  methodNotFound,
} from "../../mcp-protocol/jsonrpc.js";

/** ping gets an empty result; a method with a canned reply gets it; any other an error. */
export function answerServerRequest(
  request: JsonRpcRequest,
  replies: Record<string, unknown> | undefined,
): JsonRpcResponse {
  const canned = replies?.[request.method];
  if (canned !== undefined) return { jsonrpc: "2.0", id: request.id, result: canned };
  if (request.method === "ping") return { jsonrpc: "2.0", id: request.id, result: {} };
  return {
    jsonrpc: "2.0",
    id: request.id,
    error: {
      code: methodNotFound,
      message: `sse-tool does not support ${request.method} (give a reply with --replies)`,
    },
  };
}
