/**
 * The `--token` check for `serve`. Pure: header and URL strings in, a verdict out.
 *
 * Anyone on the machine can reach a loopback port, so a shared secret protects the stream, the
 * viewer page and publishing alike. Clients present it as `Authorization: Bearer <token>` or as
 * a `?token=` query parameter, the only way a browser's `EventSource` can send one.
 */
import { createHash, timingSafeEqual } from "node:crypto";

/** Where the secret comes from: `--token` wins over the `SSE_TOOL_TOKEN` environment variable. */
export function resolveAccessToken(
  optionToken: string | undefined,
  environmentToken: string | undefined,
): string | undefined {
  if (optionToken !== undefined && optionToken !== "") return optionToken;
  if (environmentToken !== undefined && environmentToken !== "") return environmentToken;
  return undefined;
}

/**
 * The token a request presents: the Bearer credentials of `Authorization` (scheme
 * case-insensitive, RFC 7235 §2.1), else the `token` query parameter, else undefined.
 */
export function presentedAccessToken(
  authorizationHeader: string | undefined,
  requestTarget: string,
): string | undefined {
  const bearer = /^Bearer +(\S+) *$/i.exec(authorizationHeader ?? "");
  if (bearer?.[1] !== undefined) return bearer[1];
  const queryStart = requestTarget.indexOf("?");
  if (queryStart === -1) return undefined;
  return new URLSearchParams(requestTarget.slice(queryStart + 1)).get("token") ?? undefined;
}

export type AccessVerdict = "allowed" | "missing-token" | "wrong-token";

/**
 * Compares in constant time: both sides are hashed first, so neither the content nor the
 * length of the secret leaks through how long a wrong guess takes to reject.
 */
export function checkAccessToken(
  expectedToken: string,
  presentedToken: string | undefined,
): AccessVerdict {
  if (presentedToken === undefined || presentedToken === "") return "missing-token";
  const expectedDigest = createHash("sha256").update(expectedToken, "utf8").digest();
  const presentedDigest = createHash("sha256").update(presentedToken, "utf8").digest();
  return timingSafeEqual(expectedDigest, presentedDigest) ? "allowed" : "wrong-token";
}

/**
 * Whether binding `host` keeps the server reachable from this machine only. Anything else
 * without a token deserves a warning.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (bare === "localhost" || bare === "::1") return true;
  if (/^::ffff:127\.\d+\.\d+\.\d+$/i.test(bare)) return true;
  return /^127\.\d+\.\d+\.\d+$/.test(bare);
}
