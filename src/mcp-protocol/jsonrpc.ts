/**
 * JSON-RPC 2.0 as MCP uses it: the message shapes, and telling an untrusted value apart as a
 * request, a notification or a response. Pure.
 */
import { jsonNestsDeeperThan } from "../sse/json-depth.js";

export type JsonRpcId = string | number;

export interface JsonRpcError {
  code: number;
  message: string;
  data?: unknown;
}

export interface JsonRpcRequest {
  jsonrpc: "2.0";
  id: JsonRpcId;
  method: string;
  params?: Record<string, unknown>;
}

export interface JsonRpcNotification {
  jsonrpc: "2.0";
  method: string;
  params?: Record<string, unknown>;
}

export interface JsonRpcResponse {
  jsonrpc: "2.0";
  id: JsonRpcId | null;
  result?: unknown;
  error?: JsonRpcError;
}

export type JsonRpcMessage =
  | { kind: "request"; message: JsonRpcRequest }
  | { kind: "notification"; message: JsonRpcNotification }
  | { kind: "response"; message: JsonRpcResponse };

/** The JSON-RPC error code for a method the receiver does not implement. */
export const methodNotFound = -32601;

/** JSON-RPC's codes for a body that is no JSON, a message that is no request, bad params. */
export const parseError = -32700;
export const invalidRequest = -32600;
export const invalidParams = -32602;

/** MCP's code for a `resources/read` of a URI the server does not have. */
export const resourceNotFound = -32002;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What one parsed value is, or undefined when it is no JSON-RPC message. */
export function classifyMessage(value: unknown): JsonRpcMessage | undefined {
  if (!isRecord(value)) return undefined;
  const id = value.id;
  const hasId = typeof id === "string" || typeof id === "number";
  if (typeof value.method === "string") {
    const params = isRecord(value.params) ? value.params : undefined;
    const base = { jsonrpc: "2.0" as const, method: value.method, ...(params ? { params } : {}) };
    return hasId
      ? { kind: "request", message: { ...base, id } }
      : { kind: "notification", message: base };
  }
  if ("result" in value || isRecord(value.error)) {
    const error = isRecord(value.error)
      ? {
          code: typeof value.error.code === "number" ? value.error.code : 0,
          message: typeof value.error.message === "string" ? value.error.message : "",
          ...("data" in value.error ? { data: value.error.data } : {}),
        }
      : undefined;
    return {
      kind: "response",
      message: {
        jsonrpc: "2.0",
        id: hasId ? id : null,
        ...(error ? { error } : { result: value.result }),
      },
    };
  }
  return undefined;
}

/**
 * The messages in a body or an event's data: one message, or a batch (2025-03-26 allowed
 * them). Text nested deeper than the JSON depth bound, or not JSON, gives an error text instead.
 */
export function parseMessages(text: string): JsonRpcMessage[] | string {
  if (jsonNestsDeeperThan(text)) return "JSON nested too deep";
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "not JSON";
  }
  const items = Array.isArray(value) ? value : [value];
  const messages: JsonRpcMessage[] = [];
  for (const item of items) {
    const message = classifyMessage(item);
    if (message === undefined) return "not a JSON-RPC message";
    messages.push(message);
  }
  return messages;
}
