/**
 * What a session tells whoever shows it (the command's view, or nothing for the library): HTTP
 * heads and SSE frames for -v, every JSON-RPC message with its direction, and notes.
 */
import type { JsonRpcMessage } from "../../mcp-protocol/jsonrpc.js";

export interface MessageSeen {
  direction: "sent" | "received";
  message: JsonRpcMessage;
  /** How it travelled: a POST body, a JSON response body, or an event of a stream. */
  via: "post" | "json" | "stream";
  /** The SSE event id it came with, if any. */
  eventId?: string;
  /** Time since the request it belongs to was sent (received messages during a request). */
  sinceRequestMs?: number;
}

export interface SseFrame {
  /** Which stream: "POST #3", "GET", "GET (resumed)". */
  stream: string;
  id: string;
  type: string;
  data: string;
}

export interface McpObserver {
  /** One HTTP request or response head, as lines (`> POST ...`, `< HTTP/1.1 200 OK`). */
  http?(lines: string[]): void;
  frame?(frame: SseFrame): void;
  message?(seen: MessageSeen): void;
  /** Something worth a line: a resumption, a fallback, an unknown revision. */
  note?(text: string): void;
}
