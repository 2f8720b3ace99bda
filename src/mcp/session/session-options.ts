/** What a session is opened with, shared by both transports. */
import type { ExchangeContext } from "./http-exchange.js";

export interface McpSessionOptions {
  url: string;
  context: ExchangeContext;
  /** Headers sent with every request: -H, Basic auth, User-Agent. */
  baseHeaders: Record<string, string>;
  /** Reuse this session instead of a handshake (`--session`). */
  sessionId?: string;
  /** Canned results for server-to-client requests, by method (`--replies`). */
  replies?: Record<string, unknown>;
}
