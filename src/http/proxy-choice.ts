/**
 * Which proxy a request goes through: `--proxy` for every URL, else HTTPS_PROXY (https) or
 * HTTP_PROXY (http) from the environment, lower case first, unless NO_PROXY names the host.
 * Decided here, once, so the dispatcher that sends the request and the message that reports a
 * failure agree (and so the rules do not change with undici's version). Pure.
 *
 * NO_PROXY: entries separated by commas or spaces; `*` alone means no proxy at all; an entry
 * matches its host and the host's subdomains (a leading `.` or `*.` is ignored), and only that
 * port when it names one (`example.com:8443`, `[::1]:443`); IPv6 addresses with or without
 * brackets. As curl, Go and undici read it; no CIDR ranges.
 */

export interface ProxySettings {
  /** `--proxy`: used for every URL. */
  explicit?: string;
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

/** The settings from `--proxy` and the environment (lower-case variables win, as in curl). */
export function proxySettings(
  explicit: string | undefined,
  env: Record<string, string | undefined>,
): ProxySettings {
  if (explicit !== undefined) return { explicit };
  const nonEmpty = (...values: Array<string | undefined>) => values.find((value) => value);
  return {
    httpProxy: nonEmpty(env.http_proxy, env.HTTP_PROXY),
    httpsProxy: nonEmpty(env.https_proxy, env.HTTPS_PROXY),
    noProxy: nonEmpty(env.no_proxy, env.NO_PROXY),
  };
}

/** Every proxy the settings may use (to create one dispatcher each). */
export function proxiesIn(settings: ProxySettings): string[] {
  const all = [settings.explicit, settings.httpProxy, settings.httpsProxy];
  return [...new Set(all.filter((proxy): proxy is string => proxy !== undefined))];
}

/** The proxy for a request to `url`, or undefined to connect directly. */
export function proxyFor(url: URL, settings: ProxySettings): string | undefined {
  if (settings.explicit !== undefined) return settings.explicit;
  const proxy = url.protocol === "https:" ? settings.httpsProxy : settings.httpProxy;
  if (proxy === undefined) return undefined;
  return bypassesProxy(url, settings.noProxy ?? "") ? undefined : proxy;
}

function unbracketed(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

function bypassesProxy(url: URL, noProxy: string): boolean {
  const value = noProxy.trim();
  if (value === "") return false;
  if (value === "*") return true;
  const host = unbracketed(url.hostname).toLowerCase();
  const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
  for (const raw of value.split(/[,\s]/)) {
    const entry = parseEntry(raw);
    if (entry === undefined) continue;
    if (entry.port !== 0 && entry.port !== port) continue;
    if (host === entry.host || host.endsWith(`.${entry.host}`)) return true;
  }
  return false;
}

function parseEntry(raw: string): { host: string; port: number } | undefined {
  if (raw === "") return undefined;
  let host = raw;
  let port = 0;
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(raw);
  if (bracketed) {
    host = bracketed[1]!;
    port = Number(bracketed[2]);
  } else {
    host = unbracketed(raw);
    // One colon followed by digits is host:port; more colons are an IPv6 address.
    const colon = host.indexOf(":");
    if (colon !== -1 && colon === host.lastIndexOf(":") && /^\d+$/.test(host.slice(colon + 1))) {
      port = Number(host.slice(colon + 1));
      host = host.slice(0, colon);
    }
  }
  host = host.replace(/^\*?\./, "").toLowerCase();
  return host === "" ? undefined : { host, port };
}
