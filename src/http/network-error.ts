/**
 * What undici, Node and the lean HTTP/1.1 client throw for a failed connection, read once: one
 * table gives each error code its reason (the counts of `load`'s report) and its line for a
 * user (listen, doctor, load's examples), naming the proxy when the request went through one
 * (then every socket is the proxy's: a refused or unknown host is the proxy, not the target).
 */
import { isSseToolError } from "../errors.js";
import { HttpProtocolError } from "./transports/http1-response.js";

/** Why a connection attempt brought no stream. */
export const failureReasons = [
  /** Nothing listens on the port (ECONNREFUSED). */
  "refused",
  /** No connection, or no response head, within the connect timeout. */
  "timeout",
  /** The connection was reset or closed before the response head. */
  "reset",
  /** A status that is not 2xx (204 aside). */
  "status",
  /** A 2xx response that is not text/event-stream. */
  "content-type",
  /** The host name did not resolve. */
  "dns",
  /** The TLS handshake failed (certificate, protocol). */
  "tls",
  /** The process ran out of file descriptors (EMFILE). */
  "files",
  /** No free local port for another connection from this source address (EADDRNOTAVAIL). */
  "ports",
  /** The response broke HTTP framing. */
  "protocol",
  /** Too many redirects, or a redirect to an unusable URL. */
  "redirect",
  "other",
] as const;
export type FailureReason = (typeof failureReasons)[number];

/** A known error code: its reason, and its line when a fixed one says it better than the message. */
interface KnownCode {
  reason: FailureReason;
  text?: string;
  /** A certificate the system does not trust: the line names the code and --insecure. */
  untrustedCertificate?: true;
}

const connectTimeout: KnownCode = { reason: "timeout", text: "connect timeout" };
const hostNotFound: KnownCode = { reason: "dns", text: "host not found" };
const reset: KnownCode = { reason: "reset", text: "connection reset by the server" };
const unreachable: KnownCode = { reason: "other", text: "host unreachable" };

const untrusted: KnownCode = { reason: "tls", untrustedCertificate: true };

/** The one table of error codes. */
const knownCodes: Readonly<Record<string, KnownCode>> = {
  ECONNREFUSED: { reason: "refused", text: "connection refused" },
  ENOTFOUND: hostNotFound,
  EAI_AGAIN: hostNotFound,
  ECONNRESET: reset,
  UND_ERR_SOCKET: reset,
  EPIPE: { reason: "reset" },
  UND_ERR_CLOSED: { reason: "reset" },
  EHOSTUNREACH: unreachable,
  ENETUNREACH: unreachable,
  UND_ERR_CONNECT_TIMEOUT: connectTimeout,
  ETIMEDOUT: connectTimeout,
  // Its line names the timeout (describeNetworkError).
  UND_ERR_HEADERS_TIMEOUT: { reason: "timeout" },
  EMFILE: { reason: "files" },
  ENFILE: { reason: "files" },
  EADDRNOTAVAIL: { reason: "ports" },
  EADDRINUSE: { reason: "ports" },
  HPE_INVALID_CONSTANT: { reason: "protocol" },
  HPE_INVALID_STATUS: { reason: "protocol" },
  HPE_INVALID_HEADER_TOKEN: { reason: "protocol" },
  UND_ERR_INFO: { reason: "protocol" },
  // The server's TLS refused every protocol offered (ALPN): an HTTP/2-only server.
  // Its line names the command's --http2 (describeNetworkError).
  ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL: { reason: "tls" },
  // undici 8: the proxy's socket failed while the CONNECT tunnel was being set up.
  UND_ERR_PRX_CONN: {
    reason: "other",
    text: "the proxy closed the connection while opening the tunnel",
  },
  DEPTH_ZERO_SELF_SIGNED_CERT: untrusted,
  SELF_SIGNED_CERT_IN_CHAIN: untrusted,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: untrusted,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: untrusted,
  CERT_HAS_EXPIRED: untrusted,
  ERR_TLS_CERT_ALTNAME_INVALID: untrusted,
};

/** The table's entry for `code` (own keys only: a code is server-influenced text). */
function knownCode(code: string | undefined): KnownCode | undefined {
  return code !== undefined && Object.hasOwn(knownCodes, code) ? knownCodes[code] : undefined;
}

/** TLS and certificate codes not in the table are still a TLS failure. */
const tlsCodes = /^(ERR_SSL_|ERR_TLS_|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_OSSL)/;

/** Sorts a failed connection attempt into one of the report's reasons. */
export function failureReasonOf(error: unknown): FailureReason {
  if (error instanceof HttpProtocolError) return "protocol";
  if (isSseToolError(error)) {
    if (error.code === "redirect") return "redirect";
    if (error.code === "timeout") return "timeout";
    if (error.code === "content-type") return "content-type";
    if (error.code === "http-status") return "status";
  }
  const code = errorCode(error);
  const known = knownCode(code);
  if (known !== undefined) return known.reason;
  return code !== undefined && tlsCodes.test(code) ? "tls" : "other";
}

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
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
      if (errorMessage(error) === "bad response") {
        return "the server sent a response that is not HTTP/1.1 as expected (an unasked-for 100 Continue?)";
      }
      break;
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
    case "UND_ERR_INVALID_ARG":
      return error instanceof Error ? error.message : "invalid request";
  }
  const known = knownCode(code);
  if (known?.text !== undefined) return known.text;
  if (known?.untrustedCertificate) {
    return `TLS certificate not trusted (${code}); --insecure accepts it`;
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
