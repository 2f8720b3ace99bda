/**
 * The HTTP headers of Streamable HTTP (the spec's transport section), lower-case as node:http
 * and fetch's Headers give them, for both the client and the fake server. Pure.
 */

/** The session the server handed out in its answer to `initialize`. */
export const sessionIdHeader = "mcp-session-id";

/** The revision the session agreed on, sent with every request after `initialize`. */
export const protocolVersionHeader = "mcp-protocol-version";
