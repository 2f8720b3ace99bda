/**
 * Turns what undici and Node throw for a failed connection into one line a user can act on,
 * naming the proxy when the request went through one (then every socket is the proxy's: a
 * refused or unknown host is the proxy, not the target).
 */

/** A request that failed before its response headers: what undici threw, and the way it went. */
export class RequestFailure extends Error {
  override readonly name = "RequestFailure";
  /** The proxy the request went through, or undefined when it went directly. */
  readonly proxy: string | undefined;
  readonly target: URL;

  constructor(cause: unknown, proxy: string | undefined, target: URL) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.proxy = proxy;
    this.target = target;
  }
}

/** The proxy a failed request went through, if any (a RequestFailure in the chain). */
export function failedThroughProxy(error: unknown): string | undefined {
  for (let current = error, steps = 0; current && steps < 10; steps++) {
    if (current instanceof RequestFailure) return current.proxy;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Who could not be reached, for "cannot connect to ...": the proxy, named with the host it was
 * to reach, when the request went through one; else `host`.
 */
export function unreachablePeer(error: unknown, host: string): string {
  const proxy = failedThroughProxy(error);
  return proxy === undefined ? host : `proxy ${redactedProxy(proxy)} (for ${host})`;
}

/** A proxy URL without its password. */
function redactedProxy(proxy: string): string {
  try {
    const url = new URL(proxy);
    if (url.password !== "") url.password = "***";
    return url.href.replace(/\/$/, "");
  } catch {
    return proxy;
  }
}

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
    if (Array.isArray(errors)) for (const member of errors.slice(0, 10)) pending.push(member);
    pending.push((current as { cause?: unknown }).cause);
  }
  return codes;
}

/** The most telling code: a system error (ECONNREFUSED) beats undici's wrapper codes. */
export function errorCode(error: unknown): string | undefined {
  const codes = errorCodes(error);
  return codes.find((code) => !code.startsWith("UND_ERR_SOCKET")) ?? codes[0];
}

/** Whether the request was sent (so the connection was up) and no response headers came in time. */
export function isHeadersTimeout(error: unknown): boolean {
  return errorCode(error) === "UND_ERR_HEADERS_TIMEOUT";
}

/**
 * A short reason: "connection refused", "header timeout after 30 s", ...; `command` is the one
 * whose flags a hint names.
 */
export function describeNetworkError(
  error: unknown,
  headersTimeoutMs?: number,
  command = "listen",
): string {
  const code = errorCode(error);
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host not found";
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
      if (errorMessage(error) === "bad response") {
        return "the server sent a response that is not HTTP/1.1 as expected (an unasked-for 100 Continue?)";
      }
      return "connection reset by the server";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "host unreachable";
    case "UND_ERR_CONNECT_TIMEOUT":
    case "ETIMEDOUT":
      return "connect timeout";
    case "UND_ERR_HEADERS_TIMEOUT":
      // Connected and sent: the usual cause on a quiet stream is a buffering proxy.
      return `${
        headersTimeoutMs === undefined
          ? "no response headers in time"
          : `no response headers within ${headersTimeoutMs / 1000} s`
      } (a buffering proxy, such as nginx by default, holds a slow stream's headers until its buffer fills)`;
    case "SSE_TOOL_INTERIM_TIMEOUT":
      return error instanceof Error ? errorMessage(error) : "only interim responses";
    case "ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL":
      // The server's TLS refused every protocol offered (ALPN): an HTTP/2-only server.
      return `the server speaks only HTTP/2 (TLS refused HTTP/1.1); ${command} --http2 reads it`;
    case "UND_ERR_PRX_CONN":
      // undici 8: the proxy's socket failed while the CONNECT tunnel was being set up.
      return "the proxy closed the connection while opening the tunnel";
    case "UND_ERR_INVALID_ARG":
      return error instanceof Error ? error.message : "invalid request";
    default:
      if (code !== undefined && certificateCodes.has(code)) {
        return `TLS certificate not trusted (${code}); --insecure accepts it`;
      }
  }
  const message = errorMessage(error);
  if (/other side closed|socket hang up|terminated/i.test(message))
    return "connection closed by the server";
  const tunnel = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling$/.exec(message);
  if (tunnel) return `the proxy refused the tunnel (HTTP ${tunnel[1]})`;
  return message;
}

/** The message of the innermost error (a RequestFailure only repeats its cause's). */
function errorMessage(error: unknown): string {
  let current = error;
  while (current instanceof RequestFailure) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
