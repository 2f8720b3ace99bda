/**
 * Turns what undici and Node throw for a failed connection into one line a user can act on.
 */

const certificateCodes = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** All `code`s along an error's cause chain (and AggregateError members), outermost first. */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  const pending: unknown[] = [error];
  for (let steps = 0; pending.length > 0 && steps < 10; steps++) {
    const current = pending.shift();
    if (!current || typeof current !== "object") continue;
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors)) pending.push(...errors);
    pending.push((current as { cause?: unknown }).cause);
  }
  return codes;
}

/** The most telling code: a system error (ECONNREFUSED) beats undici's wrapper codes. */
export function errorCode(error: unknown): string | undefined {
  const codes = errorCodes(error);
  return codes.find((code) => !code.startsWith("UND_ERR_SOCKET")) ?? codes[0];
}

/** A short reason: "connection refused", "header timeout after 30 s", ... */
export function describeNetworkError(error: unknown, headersTimeoutMs?: number): string {
  const code = errorCode(error);
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host not found";
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
      return "connection reset by the server";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "host unreachable";
    case "UND_ERR_CONNECT_TIMEOUT":
    case "ETIMEDOUT":
      return "connect timeout";
    case "UND_ERR_HEADERS_TIMEOUT":
      return headersTimeoutMs === undefined
        ? "no response headers in time"
        : `no response headers within ${headersTimeoutMs / 1000} s`;
    case "ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL":
      // The server's TLS refused every protocol offered (ALPN): an HTTP/2-only server.
      return "the server speaks only HTTP/2 (TLS refused HTTP/1.1); listen --http2 reads it";
    case "UND_ERR_INVALID_ARG":
      return error instanceof Error ? error.message : "invalid request";
    default:
      if (code !== undefined && certificateCodes.has(code)) {
        return `TLS certificate not trusted (${code}); --insecure accepts it`;
      }
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/other side closed|socket hang up|terminated/i.test(message))
    return "connection closed by the server";
  return message;
}
