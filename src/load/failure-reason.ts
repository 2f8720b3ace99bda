/**
 * Sorts a failed connection attempt into one of the report's reasons, from the error codes
 * Node and undici attach (ECONNREFUSED, UND_ERR_CONNECT_TIMEOUT, ...).
 */
import { isSseToolError } from "../errors.js";
import { errorCode } from "../http/network-error.js";
import { HttpProtocolError } from "../http/transports/http1-response.js";
import type { FailureReason } from "./accounting/metrics.js";

const tlsCodes = /^(ERR_SSL_|ERR_TLS_|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_OSSL)/;

export function failureReasonOf(error: unknown): FailureReason {
  if (error instanceof HttpProtocolError) return "protocol";
  if (isSseToolError(error)) {
    if (error.code === "redirect") return "redirect";
    if (error.code === "timeout") return "timeout";
    if (error.code === "content-type") return "content-type";
    if (error.code === "http-status") return "status";
  }
  const code = errorCode(error);
  switch (code) {
    case "ECONNREFUSED":
      return "refused";
    case "ETIMEDOUT":
    case "UND_ERR_CONNECT_TIMEOUT":
    case "UND_ERR_HEADERS_TIMEOUT":
      return "timeout";
    case "ECONNRESET":
    case "EPIPE":
    case "UND_ERR_SOCKET":
    case "UND_ERR_CLOSED":
      return "reset";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "dns";
    case "EMFILE":
    case "ENFILE":
      return "files";
    case "EADDRNOTAVAIL":
    case "EADDRINUSE":
      return "ports";
    case "HPE_INVALID_CONSTANT":
    case "HPE_INVALID_STATUS":
    case "HPE_INVALID_HEADER_TOKEN":
    case "UND_ERR_INFO":
      return "protocol";
  }
  if (code !== undefined && tlsCodes.test(code)) return "tls";
  return "other";
}
