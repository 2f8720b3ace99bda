/**
 * The headers of a session's requests after the handshake (the spec's transport section):
 * Accept for both answer types unless -H set it, MCP-Protocol-Version on Streamable HTTP, and
 * Mcp-Session-Id when the server gave one. Pure.
 */
import { protocolVersionHeader, sessionIdHeader } from "../../mcp-protocol/header-names.js";

export interface SessionHeaderInputs {
  /** -H, Basic auth, User-Agent. */
  base: Record<string, string>;
  /** Lower-case names of the headers the user set with -H (theirs win). */
  userHeaderNames: ReadonlySet<string>;
  protocolVersion: string | undefined;
  /** The HTTP+SSE transport of 2024-11-05 knows no MCP-Protocol-Version. */
  legacy: boolean;
  sessionId: string | undefined;
}

export function sessionHeaders(inputs: SessionHeaderInputs): Record<string, string> {
  const headers = { ...inputs.base };
  // A header given with -H wins, so a server's handling of odd values can be tried.
  const set = (name: string, value: string) => {
    if (!inputs.userHeaderNames.has(name)) headers[name] = value;
  };
  set("accept", "application/json, text/event-stream");
  if (inputs.protocolVersion && !inputs.legacy) set(protocolVersionHeader, inputs.protocolVersion);
  if (inputs.sessionId !== undefined) set(sessionIdHeader, inputs.sessionId);
  return headers;
}
