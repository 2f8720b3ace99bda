/**
 * Following a redirect as fetch does: which request comes next. Pure; `openRequest` and `load`
 * both use it, so a redirected stream is re-requested the same way everywhere.
 */
import { SseToolError } from "../errors.js";

export const redirectStatuses: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

export interface RedirectableRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array;
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
  followed: number,
  maxRedirects: number,
): RedirectableRequest | undefined {
  if (!redirectStatuses.has(status) || location === undefined) return undefined;
  let next: URL;
  try {
    next = new URL(location, request.url);
  } catch {
    throw new SseToolError("redirect", `redirect to an invalid Location from ${request.url}`);
  }
  if (followed >= maxRedirects) {
    throw new SseToolError(
      "redirect",
      `too many redirects (more than ${maxRedirects}); last one to ${next.href}`,
    );
  }
  if (next.protocol !== "http:" && next.protocol !== "https:") {
    throw new SseToolError("redirect", `redirect to unsupported URL ${next.href}`);
  }
  let { method, body } = request;
  const headers = { ...request.headers };
  // As fetch does: 303, and 301/302 after a POST, continue as GET without the body.
  if (
    (status === 303 && method !== "HEAD") ||
    ((status === 301 || status === 302) && method === "POST")
  ) {
    method = "GET";
    body = undefined;
    delete headers["content-type"];
  }
  // Credentials are not handed to another origin (fetch strips Authorization the same way).
  if (next.origin !== new URL(request.url).origin) {
    delete headers.authorization;
    delete headers.cookie;
    delete headers["proxy-authorization"];
  }
  return { url: next.href, method, headers, body };
}
