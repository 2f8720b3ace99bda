/**
 * What a host name is: loopback (only this machine can reach it), an IP address literal, or a
 * name that DNS resolves. Pure: uses only the WHATWG URL parser (a global in Node and browsers)
 * to read hosts the way a browser does, so `[0:0:0:0:0:0:0:1]`, `[::ffff:127.0.0.1]` and
 * `0x7f.1` are recognised for what they are.
 */

/** Characters a host may hold before the URL parser sees it: no userinfo, path or zone tricks. */
const nameCharacters = /^[a-z0-9._-]+$/;
const bracketedIpv6 = /^\[[0-9a-f:.]+\]$/;

/**
 * `host` as a URL's hostname holds it (lower case; IPv4 dotted decimal; IPv6 bracketed and
 * compressed), or undefined when it is not a valid host. A bare IPv6 address gets its brackets.
 */
export function canonicalHost(host: string): string | undefined {
  const lower = host.toLowerCase();
  const candidate = lower.includes(":") && !lower.startsWith("[") ? `[${lower}]` : lower;
  if (!nameCharacters.test(candidate) && !bracketedIpv6.test(candidate)) return undefined;
  try {
    return new URL(`http://${candidate}/`).hostname;
  } catch {
    return undefined;
  }
}

/** Whether a canonical host (from `canonicalHost`) is an IP address rather than a name. */
export function isIpLiteral(canonical: string): boolean {
  return canonical.startsWith("[") || /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/.test(canonical);
}

/**
 * Whether `host` names this machine only: `localhost` and any `*.localhost` (RFC 6761 reserves
 * them for loopback, and browsers resolve them so), 127.0.0.0/8, `::1`, and 127.x written as an
 * IPv4-mapped IPv6 address (`::ffff:127.0.0.1`). Brackets around IPv6 are optional.
 */
export function isLoopbackHost(host: string): boolean {
  const canonical = canonicalHost(host);
  if (canonical === undefined) return false;
  if (canonical === "localhost" || canonical.endsWith(".localhost")) return true;
  if (canonical === "[::1]") return true;
  // The URL parser writes ::ffff:127.0.0.1 as [::ffff:7f00:1]: 0x7f in the high byte.
  if (/^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(canonical)) return true;
  return /^127\.[0-9]+\.[0-9]+\.[0-9]+$/.test(canonical);
}
