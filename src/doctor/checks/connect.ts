/**
 * Doctor's connect check, when the watch never got a response: what failed and the fix that
 * fits it. Pure.
 */
import { bufferingHops } from "../hops.js";
import type { DoctorObservation } from "../observation.js";
import { type CheckResult, fail, seconds } from "./result.js";

/** Fixes for the connect errors that have one of their own, by error code. */
const fixes: Record<string, string> = {
  ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL: "run doctor --http2 on the URL",
  ECONNREFUSED: "check the port, that the server runs, and --proxy",
  ENOTFOUND: "check the host name, and --proxy",
  EAI_AGAIN: "check the host name, and --proxy",
};
const certificateFix = "--cacert FILE trusts a private CA; --insecure skips the check";
for (const code of [
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
]) {
  fixes[code] = certificateFix;
}
const genericFix = "check the URL, that the server runs, and --proxy / --insecure";

/** The connect check's failure; undefined when a response came. */
export function checkConnect(o: DoctorObservation): CheckResult | undefined {
  if (o.noHeadersWithinMs !== undefined) {
    // Many proxies and servers hold a slow response whole: name the usual ones, not one.
    const suspects = bufferingHops();
    return fail(
      "connect",
      `connected, but no response headers within ${seconds(o.noHeadersWithinMs)}: something ` +
        "on the way holds a slow stream until its buffer fills or it ends (a buffering proxy or " +
        `server: ${suspects.map((hop) => hop.name).join(", ")}), or the server sends its ` +
        "headers only with the first event",
      "send the headers and a comment as soon as the stream opens, and turn off response " +
        `buffering on the way (${suspects.map((hop) => `${hop.name}: ${hop.bufferingSetting}`).join("; ")})`,
    );
  }
  if (o.connectError === undefined) return undefined;
  const code = o.connectErrorCode;
  const fix = (code === undefined ? undefined : fixes[code]) ?? genericFix;
  return fail("connect", `could not connect: ${o.connectError}`, fix);
}
