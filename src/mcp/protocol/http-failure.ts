/**
 * One line for each way an MCP exchange fails over HTTP, with what to do about it. Pure; the
 * texts quote the server, so the caller escapes them as it prints.
 */

export interface HttpFailure {
  status: number;
  statusText: string;
  method: string;
  /** Whether the request carried an Mcp-Session-Id. */
  withSession: boolean;
  /** The WWW-Authenticate header, for a 401. */
  wwwAuthenticate?: string | undefined;
  /** The start of the response body (an error message, often JSON-RPC). */
  bodyStart: string;
}

/** A short line out of a body: a JSON-RPC error's message, or the text itself. */
export function bodyReason(bodyStart: string): string {
  try {
    const value = JSON.parse(bodyStart) as { error?: { message?: unknown } };
    if (typeof value.error?.message === "string") return value.error.message;
  } catch {
    // Not JSON: the text as it came.
  }
  const line = bodyStart.trim().split("\n", 1)[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** `resource_metadata="..."` of a Bearer challenge (RFC 9728), when there is one. */
export function resourceMetadataUrl(wwwAuthenticate: string | undefined): string | undefined {
  return /resource_metadata="([^"]*)"/.exec(wwwAuthenticate ?? "")?.[1];
}

export function explainHttpFailure(failure: HttpFailure): string {
  const reason = bodyReason(failure.bodyStart);
  const said = reason === "" ? "" : ` (${reason})`;
  const head = `${failure.method} got HTTP ${failure.status} ${failure.statusText}`.trimEnd();
  switch (failure.status) {
    case 406:
      return `${head}${said}: the server wants Accept to list both application/json and text/event-stream (do not replace Accept with -H)`;
    case 400:
      return failure.withSession
        ? `${head}${said}: the server refused the request: a bad MCP-Protocol-Version header, or a malformed message`
        : `${head}${said}: the server wants a session: a missing Mcp-Session-Id (pass one with --session, or let the handshake make one)`;
    case 404:
      return failure.withSession
        ? `${head}${said}: the session expired or is unknown: start a new one (without --session)`
        : `${head}${said}: no MCP endpoint at this URL: check the path (often /mcp)`;
    case 401: {
      const metadata = resourceMetadataUrl(failure.wwwAuthenticate);
      const where = metadata === undefined ? "" : `; resource metadata: ${metadata}`;
      return `${head}${said}: the server wants a token${where}; send it with -H "Authorization: Bearer TOKEN"`;
    }
    case 403:
      return `${head}${said}: refused: the server checks Origin and Host against DNS rebinding; use the host name it expects (-H "Host: ..."), or it wants a token with more rights`;
    case 405:
      return failure.method === "GET"
        ? `${head}: the server offers no stream of its own (fine: it only answers on POST)`
        : `${head}${said}: this URL does not take ${failure.method}: is it the MCP endpoint?`;
    default:
      return `${head}${said}`;
  }
}
