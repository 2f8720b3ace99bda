/**
 * The hops doctor knows: proxies, servers, CDNs and platforms that can stand between an event
 * stream and its client, how each shows itself in the response headers, whether it holds a
 * streamed response back, what closes a quiet stream, and the setting that changes each; and
 * the recogniser that names them from a response's headers. Pure.
 */

/** How a hop treats a streamed response by default. */
export type HopBuffering =
  /** Holds the body back until a buffer fills or the response ends. */
  | "buffers"
  /** Streams in the usual set-up, but a common setting or module holds it back. */
  | "may-buffer"
  /** Passes event streams through as they come. */
  | "streams";

/** A header that gives a hop away: present at all, or carrying a word (letters, digits, -). */
export interface HopSignature {
  /** Lower-case header name; ending in `*`, any header with that prefix. */
  header: string;
  /** A lower-case word the value must contain; absent: the header's presence is enough. */
  word?: string;
}

export interface Hop {
  name: string;
  /** Empty for hops that send no header of their own by default. */
  signatures: readonly HopSignature[];
  buffering: HopBuffering;
  /** Why it holds a stream back (for "buffers" and "may-buffer"), or how it passes one. */
  bufferingNote: string;
  /** What makes it pass events at once. */
  bufferingSetting?: string;
  /** nginx underneath: `X-Accel-Buffering: no` on the response turns its buffering off. */
  honoursAccelBuffering?: boolean;
  /** What closes a stream that stays quiet (or runs long), with its default. */
  timeout?: string;
  /** That default, when it is a fixed figure. */
  timeoutMs?: number;
  /** What the timeout counts: silence (a heartbeat resets it) or the whole response. */
  timeoutCounts?: "silence" | "whole response";
  /** The setting that changes it. */
  timeoutSetting?: string;
  /** Names of hops this one runs on and whose headers it sends (Fastly sends Varnish's). */
  includes?: readonly string[];
}

export const hops: readonly Hop[] = [
  {
    name: "nginx",
    signatures: [
      { header: "server", word: "nginx" },
      { header: "server", word: "openresty" },
    ],
    buffering: "buffers",
    bufferingNote: "buffers proxied responses by default (proxy_buffering on)",
    bufferingSetting: "X-Accel-Buffering: no on the response, or proxy_buffering off",
    honoursAccelBuffering: true,
    timeout: "proxy_read_timeout, 60 s by default",
    timeoutMs: 60_000,
    timeoutCounts: "silence",
    timeoutSetting: "proxy_read_timeout",
  },
  {
    name: "Apache httpd",
    signatures: [{ header: "server", word: "apache" }],
    buffering: "may-buffer",
    bufferingNote: "mod_proxy flushes only when its buffer fills, mod_deflate when a block does",
    bufferingSetting: "flushpackets=on on the ProxyPass line, and no-gzip for the stream",
    timeout: "ProxyTimeout (Timeout, 60 s by default)",
    timeoutMs: 60_000,
    timeoutCounts: "silence",
    timeoutSetting: "ProxyTimeout",
  },
  {
    name: "lighttpd",
    signatures: [{ header: "server", word: "lighttpd" }],
    buffering: "buffers",
    bufferingNote: "holds a backend's whole response by default (server.stream-response-body = 0)",
    bufferingSetting: "server.stream-response-body = 2",
    timeout: "the backend's read-timeout (none by default)",
    timeoutCounts: "silence",
    timeoutSetting: '"read-timeout" on the proxy.server host',
  },
  {
    name: "Varnish",
    signatures: [{ header: "x-varnish" }, { header: "via", word: "varnish" }],
    buffering: "may-buffer",
    bufferingNote: "streams a fetch, but caching, gzip or ESI in VCL hold a stream back",
    bufferingSetting:
      "return (pipe) for the stream in vcl_recv, or beresp.do_stream with no caching",
    timeout: "between_bytes_timeout, 60 s by default",
    timeoutMs: 60_000,
    timeoutCounts: "silence",
    timeoutSetting: "between_bytes_timeout",
  },
  {
    name: "Fastly",
    signatures: [{ header: "x-served-by" }, { header: "x-fastly-request-id" }],
    buffering: "may-buffer",
    bufferingNote: "delivers a miss only once fetched, unless streaming miss is on",
    bufferingSetting: "return (pass) for the stream's URL and beresp.do_stream = true",
    timeout: "between-bytes timeout, 10 s by default",
    timeoutMs: 10_000,
    timeoutCounts: "silence",
    timeoutSetting: "the backend's between_bytes_timeout",
    includes: ["Varnish"],
  },
  {
    name: "HAProxy",
    signatures: [{ header: "server", word: "haproxy" }],
    buffering: "streams",
    bufferingNote: "passes a response through as it comes",
    timeout: "timeout server, 50 s in its sample configuration",
    timeoutMs: 50_000,
    timeoutCounts: "silence",
    timeoutSetting: "timeout server, or timeout tunnel",
  },
  {
    name: "Caddy",
    signatures: [{ header: "server", word: "caddy" }],
    buffering: "streams",
    bufferingNote: "flushes text/event-stream at once",
    bufferingSetting: "flush_interval -1 for a stream sent as another type",
    timeout: "the transport's read_timeout (none by default)",
    timeoutCounts: "silence",
    timeoutSetting: "read_timeout in reverse_proxy's transport http",
  },
  {
    name: "Squid",
    signatures: [
      { header: "server", word: "squid" },
      { header: "via", word: "squid" },
      { header: "x-squid-error" },
    ],
    buffering: "streams",
    bufferingNote: "passes a response through as it comes",
    timeout: "read_timeout, 15 minutes by default",
    timeoutMs: 15 * 60_000,
    timeoutCounts: "silence",
    timeoutSetting: "read_timeout",
  },
  {
    name: "Apache Traffic Server",
    signatures: [{ header: "server", word: "ats" }],
    buffering: "streams",
    bufferingNote: "passes a response through as it comes",
    timeout: "transaction_no_activity_timeout_out, 30 s by default",
    timeoutMs: 30_000,
    timeoutCounts: "silence",
    timeoutSetting: "proxy.config.http.transaction_no_activity_timeout_out",
  },
  {
    name: "Traefik",
    signatures: [],
    buffering: "streams",
    bufferingNote: "flushes text/event-stream at once, unless its buffering middleware applies",
    bufferingSetting: "no buffering middleware on the stream's route",
  },
  {
    name: "Envoy",
    signatures: [{ header: "server", word: "envoy" }, { header: "x-envoy-upstream-service-time" }],
    buffering: "streams",
    bufferingNote: "passes a response through as it comes",
    timeout: "route timeout, 15 s by default for the whole response",
    timeoutMs: 15_000,
    timeoutCounts: "whole response",
    timeoutSetting: "timeout: 0s on the stream's route",
  },
  {
    name: "Kong",
    signatures: [
      { header: "x-kong-*" },
      { header: "via", word: "kong" },
      { header: "server", word: "kong" },
    ],
    buffering: "buffers",
    bufferingNote: "buffers responses by default (response_buffering)",
    bufferingSetting: "response_buffering: false on the route",
    timeout: "read_timeout, 60 s by default",
    timeoutMs: 60_000,
    timeoutCounts: "silence",
    timeoutSetting: "read_timeout on the service",
  },
  {
    name: "Apache APISIX",
    signatures: [{ header: "server", word: "apisix" }, { header: "x-apisix-upstream-status" }],
    buffering: "buffers",
    bufferingNote: "runs on nginx, which buffers proxied responses by default",
    bufferingSetting: "X-Accel-Buffering: no on the response",
    honoursAccelBuffering: true,
    timeout: "the upstream read timeout, 60 s by default",
    timeoutMs: 60_000,
    timeoutCounts: "silence",
    timeoutSetting: "timeout.read on the upstream",
  },
  {
    name: "Tyk",
    signatures: [],
    buffering: "may-buffer",
    bufferingNote: "older versions flush only every http_server_options.flush_interval",
    bufferingSetting: "http_server_options.flush_interval, or a version that flushes event streams",
    timeoutSetting: "http_server_options.write_timeout",
  },
  {
    name: "Cloudflare",
    signatures: [{ header: "cf-ray" }, { header: "server", word: "cloudflare" }],
    buffering: "streams",
    bufferingNote: "passes text/event-stream through as it comes",
    timeout: "Proxy Read Timeout, 100 s",
    timeoutMs: 100_000,
    timeoutCounts: "silence",
    timeoutSetting: "a heartbeat well within it (Enterprise plans can raise it)",
  },
  {
    name: "Amazon CloudFront",
    signatures: [
      { header: "x-amz-cf-id" },
      { header: "via", word: "cloudfront" },
      { header: "x-cache", word: "cloudfront" },
    ],
    buffering: "streams",
    bufferingNote: "passes a response through as it comes",
    timeout: "origin response timeout, 30 s by default",
    timeoutMs: 30_000,
    timeoutCounts: "silence",
    timeoutSetting: "the origin's response timeout (OriginReadTimeout)",
  },
  {
    name: "AWS load balancer or API Gateway",
    signatures: [{ header: "x-amzn-trace-id" }, { header: "server", word: "awselb" }],
    buffering: "streams",
    bufferingNote: "passes a response through as it comes",
    timeout: "ALB idle timeout, 60 s by default",
    timeoutMs: 60_000,
    timeoutCounts: "silence",
    timeoutSetting: "the idle_timeout.timeout_seconds attribute",
  },
  {
    name: "Google Cloud load balancer",
    signatures: [{ header: "via", word: "google" }],
    buffering: "streams",
    bufferingNote: "passes a response through as it comes",
    timeout: "backend service timeout, 30 s by default for the whole response",
    timeoutMs: 30_000,
    timeoutCounts: "whole response",
    timeoutSetting: "timeoutSec on the backend service",
  },
  {
    name: "Azure Front Door",
    signatures: [{ header: "x-azure-ref" }],
    buffering: "streams",
    bufferingNote:
      "passes a response through (compression on the route would not: see compression)",
    timeout: "origin response timeout, 30 s by default",
    timeoutMs: 30_000,
    timeoutCounts: "whole response",
    timeoutSetting: "the origin response timeout (16-240 s)",
  },
  {
    name: "Vercel",
    signatures: [{ header: "x-vercel-id" }, { header: "server", word: "vercel" }],
    buffering: "streams",
    bufferingNote: "streams a function's response as it is written",
    timeout: "the function's maximum duration",
    timeoutSetting: "maxDuration for the function",
  },
  {
    name: "Fly.io",
    signatures: [{ header: "fly-request-id" }, { header: "server", word: "fly" }],
    buffering: "streams",
    bufferingNote: "passes a response through as it comes",
    timeout: "the proxy's idle timeout, 60 s",
    timeoutMs: 60_000,
    timeoutCounts: "silence",
    timeoutSetting: "a heartbeat within it",
  },
  {
    name: "Heroku router",
    signatures: [{ header: "via", word: "vegur" }],
    buffering: "streams",
    bufferingNote: "passes a response through as it comes",
    timeout: "55 s without a byte closes the response",
    timeoutMs: 55_000,
    timeoutCounts: "silence",
    timeoutSetting: "a heartbeat within it (it cannot be changed)",
  },
];

/** A proxy that says so (Via, X-Cache) but is none of the above. */
export const unnamedProxy: Hop = {
  name: "an unrecognised proxy",
  signatures: [{ header: "via" }, { header: "x-cache" }],
  buffering: "may-buffer",
  bufferingNote: "may hold a streamed response back",
  bufferingSetting: "turn off its response buffering for the stream",
};

/** Hops that hold a slow stream back by default: the usual suspects when headers never come. */
export function bufferingHops(): Hop[] {
  return hops.filter((hop) => hop.buffering === "buffers");
}

export interface RecognisedHop {
  hop: Hop;
  /** The header that gave it away, its value shortened (untrusted: escape it to print it). */
  evidence: string;
}

/** Only the start of a value is read: bounded work on hostile headers. */
const scannedChars = 1024;
const evidenceChars = 80;
/** A word in a header value; a single character class, so matching is linear. */
const word = /[a-z0-9-]+/g;

function wordsOf(value: string): Set<string> {
  return new Set(value.slice(0, scannedChars).toLowerCase().match(word) ?? []);
}

/** `x-amz-cf-id` as `X-Amz-Cf-Id`. */
function displayName(header: string): string {
  return header.replace(
    /(^|-)([a-z])/g,
    (_, dash: string, letter: string) => dash + letter.toUpperCase(),
  );
}

function evidence(header: string, value: string): string {
  const shown = value.length > evidenceChars ? `${value.slice(0, evidenceChars)}…` : value;
  return `${displayName(header)}: ${shown}`;
}

/** The first header that matches `signature`, as evidence; undefined when none does. */
function match(
  signature: HopSignature,
  headers: Readonly<Record<string, string>>,
  words: (header: string) => Set<string>,
): string | undefined {
  if (signature.header.endsWith("*")) {
    const prefix = signature.header.slice(0, -1);
    const name = Object.keys(headers).find((header) => header.startsWith(prefix));
    return name === undefined ? undefined : evidence(name, headers[name]!);
  }
  const value = headers[signature.header];
  if (value === undefined) return undefined;
  if (signature.word !== undefined && !words(signature.header).has(signature.word)) {
    return undefined;
  }
  return evidence(signature.header, value);
}

/**
 * The hops a response's headers (names lower-case) give away, in table order; when none is,
 * a Via or X-Cache header still shows an unrecognised proxy.
 */
export function recogniseHops(headers: Readonly<Record<string, string>>): RecognisedHop[] {
  const cache = new Map<string, Set<string>>();
  const words = (header: string) => {
    let found = cache.get(header);
    if (found === undefined) {
      found = wordsOf(headers[header] ?? "");
      cache.set(header, found);
    }
    return found;
  };
  const found: RecognisedHop[] = [];
  for (const hop of hops) {
    for (const signature of hop.signatures) {
      const seen = match(signature, headers, words);
      if (seen !== undefined) {
        found.push({ hop, evidence: seen });
        break;
      }
    }
  }
  const included = new Set(found.flatMap(({ hop }) => hop.includes ?? []));
  const named = found.filter(({ hop }) => !included.has(hop.name));
  if (named.length === 0) {
    for (const signature of unnamedProxy.signatures) {
      const seen = match(signature, headers, words);
      if (seen !== undefined) return [{ hop: unnamedProxy, evidence: seen }];
    }
  }
  return named;
}
