/**
 * Following a redirect as fetch does: which request comes next. The URL, the status rules
 * (303, and 301/302 after a POST, continue as GET without the body) and the bound on redirects
 * are here; which headers go along is src/http/redirect.ts's policy. Pure; `openRequest`
 * (src/http/client.ts) and `load`'s clients both use it, so a redirected stream is re-requested
 * the same way everywhere.
 */
import { SseToolError } from "../errors.js";
import { redactUrl } from "./redaction.js";
import { headersForRedirect } from "./redirect.js";

export const redirectStatuses: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

export interface RedirectableRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

/** What the header policy needs to know about the run (src/http/redirect.ts). */
export interface RedirectHeaderRules {
  /** Lower-case names of the headers the user gave with -H. */
  userHeaderNames: ReadonlySet<string>;
  /** `--location-trusted`: the user's headers go to another origin too. */
  locationTrusted: boolean;
}

export interface FollowedRedirect extends RedirectableRequest {
  /** Names of the headers not sent on to the new origin (for `-v`). */
  dropped: string[];
}

/**
 * The request to send after a redirect response, or undefined when the response is not a
 * redirect (a 3xx without Location is a response like any other). Throws a "redirect" error for
 * an invalid or unsupported Location, or past `maxRedirects` (`followed` were followed so far).
 */
export function nextRedirect(
  status: number,
  location: string | undefined,
  request: RedirectableRequest,
  rules: RedirectHeaderRules,
  followed: number,
  maxRedirects: number,
): FollowedRedirect | undefined {
  if (!redirectStatuses.has(status) || location === undefined) return undefined;
  let next: URL;
  try {
    next = new URL(location, request.url);
  } catch {
    throw new SseToolError(
      "redirect",
      `redirect to an invalid Location from ${redactUrl(request.url)}`,
    );
  }
  if (followed >= maxRedirects) {
    throw new SseToolError(
      "redirect",
      `too many redirects (more than ${maxRedirects}); last one to ${redactUrl(next.href)}`,
    );
  }
  // Credentials in a Location are neither sent nor shown (Basic auth from the first URL or -u
  // follows as a header, under headersForRedirect's cross-origin rule).
  next.username = "";
  next.password = "";
  if (next.protocol !== "http:" && next.protocol !== "https:") {
    throw new SseToolError("redirect", `redirect to unsupported URL ${redactUrl(next.href)}`);
  }
  let { method, body } = request;
  let headers = request.headers;
  if (
    (status === 303 && method !== "HEAD") ||
    ((status === 301 || status === 302) && method === "POST")
  ) {
    method = "GET";
    body = undefined;
    headers = { ...headers };
    delete headers["content-type"];
  }
  const kept = headersForRedirect(headers, {
    from: new URL(request.url),
    to: next,
    userHeaderNames: rules.userHeaderNames,
    locationTrusted: rules.locationTrusted,
    bodyResent: body !== undefined,
  });
  return { url: next.href, method, body, headers: kept.headers, dropped: kept.dropped };
}
