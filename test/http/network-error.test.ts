/**
 * The one table of network error codes: each code's reason for load's report and its line for
 * a user, read along the cause chain; a code that is no own key of the table is "other".
 */
import { describe, expect, it } from "vitest";
import { SseToolError } from "../../src/errors.js";
import { describeNetworkError, failureReasonOf } from "../../src/http/network-error.js";
import { HttpProtocolError } from "../../src/http/transports/http1-response.js";

function failure(code: string): Error {
  return Object.assign(new Error("boom"), { code });
}

describe("failureReasonOf and describeNetworkError", () => {
  it.each([
    ["ECONNREFUSED", "refused", "connection refused"],
    ["ENOTFOUND", "dns", "host not found"],
    ["ECONNRESET", "reset", "connection reset by the server"],
    ["EPIPE", "reset", "wrapped"],
    ["EHOSTUNREACH", "other", "host unreachable"],
    ["ETIMEDOUT", "timeout", "connect timeout"],
    ["EMFILE", "files", "wrapped"],
    ["EADDRNOTAVAIL", "ports", "wrapped"],
    ["HPE_INVALID_STATUS", "protocol", "wrapped"],
    [
      "CERT_HAS_EXPIRED",
      "tls",
      "TLS certificate not trusted (CERT_HAS_EXPIRED); --insecure accepts it",
    ],
    ["ERR_SSL_WRONG_VERSION_NUMBER", "tls", "wrapped"],
    ["constructor", "other", "wrapped"],
    ["__proto__", "other", "wrapped"],
  ])("%s: %s, %j", (code, reason, text) => {
    const error = new Error("wrapped", { cause: failure(code) });
    expect(failureReasonOf(error)).toBe(reason);
    expect(describeNetworkError(error)).toBe(text);
  });

  it("sorts the project's own errors by their code", () => {
    expect(failureReasonOf(new HttpProtocolError("bad chunk"))).toBe("protocol");
    expect(failureReasonOf(new SseToolError("redirect", "too many"))).toBe("redirect");
    expect(failureReasonOf(new SseToolError("http-status", "404"))).toBe("status");
    expect(failureReasonOf(new SseToolError("content-type", "text/html"))).toBe("content-type");
    expect(failureReasonOf(new Error("no code"))).toBe("other");
  });
});
