/**
 * Which request headers follow a redirect. To the same origin, all of them. To another origin
 * (scheme, host or port differ), none of the user's `-H` headers: API keys travel in headers of
 * any name (`X-Api-Key`, `Api-Key`, `*-Token`), so no list of "credential" names is safe; nor
 * Authorization, Cookie and Proxy-Authorization, whoever set them. `--location-trusted` (curl's
 * name) sends them all. The one user header kept is Content-Type when the body is sent again
 * (307/308): it describes the body, which goes along. The defaults (Accept, Cache-Control,
 * Last-Event-ID) are the EventSource's own and are kept. Pure.
 */

const credentialHeaders = ["authorization", "cookie", "proxy-authorization"];

export interface RedirectHeaderContext {
  from: URL;
  to: URL;
  /** Lower-case names of the headers the user gave with -H. */
  userHeaderNames: ReadonlySet<string>;
  locationTrusted: boolean;
  /** The body is sent again (307/308): its Content-Type stays. */
  bodyResent: boolean;
}

/** The headers for the next request of a redirect, and the names dropped (for `-v`). */
export function headersForRedirect(
  headers: Record<string, string>,
  context: RedirectHeaderContext,
): { headers: Record<string, string>; dropped: string[] } {
  if (context.locationTrusted || context.to.origin === context.from.origin) {
    return { headers, dropped: [] };
  }
  const kept: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const fromUser = context.userHeaderNames.has(name);
    const keep =
      !credentialHeaders.includes(name) &&
      (!fromUser || (name === "content-type" && context.bodyResent));
    if (keep) kept[name] = value;
    else dropped.push(name);
  }
  return { headers: kept, dropped };
}
