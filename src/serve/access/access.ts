/**
 * Who may use `serve`: the Host check, the origins a browser page may read and publish from,
 * and the `--token` check. Pure: header and URL strings in, a verdict out (node:crypto only for
 * the constant-time comparison).
 *
 * A web page the developer visits can make their browser send requests to a loopback port: a
 * page on another origin reads only what CORS grants, but its simple POSTs are sent without a
 * preflight, and a DNS-rebinding name makes the page same-origin with the server. So the Host
 * must be a name no attacker controls, an Origin that is not allowed is refused before
 * anything happens, and only loopback pages are granted by default. Anyone on the machine can
 * reach a loopback port: `--token` is the shared secret for that, presented as
 * `Authorization: Bearer <token>` or as a `?token=` query parameter (the only way a browser's
 * `EventSource` can send one).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { canonicalHost, isIpLiteral, isLoopbackHost } from "../../http/loopback.js";

/** Which origins may read the stream (CORS) and publish, from `--cors` / `--no-cors`. */
export interface OriginPolicy {
  /** CORS headers are sent at all (false for `--no-cors`: only same-origin pages). */
  cors: boolean;
  /** `--cors '*'`: every origin may read and publish. */
  anyOrigin: boolean;
  /** Origins added with `--cors`, as browsers send them (`null` included when given). */
  origins: ReadonlySet<string>;
}

/**
 * The policy for the `--cors` values (repeatable), `false` for `--no-cors`, or nothing given:
 * loopback origins (`http(s)://localhost`, `*.localhost`, `127.x`, `[::1]`, any port) are
 * allowed unless `--no-cors`; each `--cors` adds one.
 */
export function originPolicy(cors: readonly string[] | boolean | undefined): OriginPolicy {
  if (cors === false) return { cors: false, anyOrigin: false, origins: new Set() };
  const given = Array.isArray(cors) ? cors : [];
  return { cors: true, anyOrigin: given.includes("*"), origins: new Set(given) };
}

/** Why a `--cors` value is not an origin a browser could send, or undefined when it is one. */
export function corsValueProblem(value: string): string | undefined {
  if (value === "*" || value === "null") return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (
    parsed === undefined ||
    (parsed.protocol !== "http:" && parsed.protocol !== "https:") ||
    parsed.origin !== value
  ) {
    return `--cors ${JSON.stringify(value)}: expected an origin as a browser sends it, scheme://host[:port] with no path or trailing slash (https://app.example.com, http://localhost:5173), or '*'`;
  }
  return undefined;
}

/** Whether a page on `origin` (the request's `Origin` header) is granted by the policy. */
export function isAllowedOrigin(policy: OriginPolicy, origin: string): boolean {
  if (!policy.cors) return false;
  return policy.anyOrigin || policy.origins.has(origin) || isLoopbackOrigin(origin);
}

const serializedOrigin = /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::[0-9]{1,5})?$/;

/** An origin (as browsers serialize it) on a loopback host: `http://localhost:5173`, ... */
export function isLoopbackOrigin(origin: string): boolean {
  const host = serializedOrigin.exec(origin)?.[1];
  return host !== undefined && canonicalHost(host) === host && isLoopbackHost(host);
}

/**
 * Whether a request's `Host` header names this server in a way no attacker can point
 * elsewhere: a loopback name, an IP address (DNS rebinding needs a name), or one of
 * `allowedHosts` (exact names, or `.example.com` for that domain and its subdomains). A
 * request without Host (HTTP/1.0) is allowed: browsers always send one.
 */
export function isAllowedHost(
  hostHeader: string | undefined,
  allowedHosts: readonly string[],
): boolean {
  if (hostHeader === undefined) return true;
  const host = hostOfHostHeader(hostHeader);
  if (host === undefined) return false;
  if (isLoopbackHost(host) || isIpLiteral(host)) return true;
  return allowedHosts.some((allowed) =>
    allowed.startsWith(".")
      ? host === allowed.slice(1) || host.endsWith(allowed)
      : host === allowed,
  );
}

/** The host of a Host header (`name`, `name:port`, `[v6]`, `[v6]:port`), canonical. */
function hostOfHostHeader(value: string): string | undefined {
  let host = value;
  let port = "";
  if (value.startsWith("[")) {
    const end = value.indexOf("]");
    if (end === -1) return undefined;
    host = value.slice(0, end + 1);
    port = value.slice(end + 1);
  } else {
    const colon = value.indexOf(":");
    if (colon !== -1) {
      host = value.slice(0, colon);
      port = value.slice(colon);
    }
  }
  if (port !== "" && !/^:[0-9]{1,5}$/.test(port)) return undefined;
  return host === "" ? undefined : canonicalHost(host);
}

/** Why an `--allowed-host` value is not a host name, or undefined; `.example.com` is allowed. */
export function allowedHostProblem(value: string): string | undefined {
  const name = value.startsWith(".") ? value.slice(1) : value;
  // `a..b` or `..b` (a typo no Host header matches); a final dot (`app.example.com.`) is a name.
  const emptyLabel = name.replace(/\.$/, "").split(".").includes("");
  if (!emptyLabel && canonicalHost(name) === name.toLowerCase()) return undefined;
  return `--allowed-host ${JSON.stringify(value)}: expected a host name (app.example.com), or .example.com for a domain and its subdomains`;
}

/** Where the secret came from: the command line shows it in `ps`; a file or variable does not. */
export type TokenSource = "option" | "file" | "environment";

export interface TokenChoice {
  token: string;
  source: TokenSource;
}

/**
 * The token from `--token`, `--token-file` (its text, surrounding whitespace dropped) or the
 * `SSE_TOOL_TOKEN` variable, in that order; undefined when none is given; a string saying why
 * when the one given is unusable. Empty is never "no token": `--token "$UNSET"` must not turn
 * the check off. A token holds no whitespace or control characters (it could not be sent as
 * `Authorization: Bearer <token>`).
 */
export function chooseAccessToken(given: {
  option?: string | undefined;
  file?: { path: string; text: string } | undefined;
  environment?: string | undefined;
}): TokenChoice | undefined | string {
  if (given.option !== undefined && given.file !== undefined) {
    return "--token and --token-file both given: use one";
  }
  const [token, source, where]: [string | undefined, TokenSource, string] =
    given.option !== undefined
      ? [given.option, "option", "--token"]
      : given.file !== undefined
        ? [given.file.text.trim(), "file", `--token-file ${given.file.path}`]
        : [given.environment, "environment", "SSE_TOOL_TOKEN"];
  if (token === undefined) return undefined;
  if (token === "") {
    return `${where} is empty: give a secret (an unset variable?), or leave it out for no token`;
  }
  if (/[\s\x00-\x1f\x7f]/.test(token)) {
    return `${where}: the token holds whitespace or control characters; it could not be sent as Authorization: Bearer <token>`;
  }
  return { token, source };
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
