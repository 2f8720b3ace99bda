/**
 * The failures of an MCP exchange that callers tell apart: an HTTP status (kept, so the
 * handshake can fall back to the older transport and a session can be renewed), and a JSON-RPC
 * error object (kept whole for --json).
 */
import { SseToolError } from "../../errors.js";
import type { JsonRpcError } from "../../mcp-protocol/jsonrpc.js";

export class McpHttpError extends SseToolError {
  readonly status: number;
  constructor(status: number, message: string) {
    super("http-status", message);
    this.status = status;
  }
}

export class McpRpcError extends SseToolError {
  readonly rpcError: JsonRpcError;
  constructor(method: string, rpcError: JsonRpcError) {
    super("protocol", `${method}: JSON-RPC error ${rpcError.code}: ${rpcError.message}`);
    this.rpcError = rpcError;
  }
}
