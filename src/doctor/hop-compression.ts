/**
 * Which hops compress a response on its way, whether their compressor flushes per event, and
 * the setting that leaves an event stream alone; keyed by the hop table's names. Pure.
 */

export interface HopCompression {
  /** What compresses, and when. */
  note: string;
  /** Whether the compressor passes each flush of the stream on (events still come one by one). */
  flushesPerEvent: boolean;
  /** What stops it compressing the stream. */
  setting: string;
}

export const hopCompression: Readonly<Record<string, HopCompression>> = {
  nginx: {
    // With proxy_buffering on, its buffering holds the stream first: that is the fix named.
    note: "gzip, when gzip_proxied and gzip_types cover text/event-stream",
    flushesPerEvent: true,
    setting: "gzip off in the stream's location (or text/event-stream out of gzip_types)",
  },
  "Apache httpd": {
    note: "mod_deflate (AddOutputFilterByType DEFLATE), flushing when mod_proxy does",
    flushesPerEvent: true,
    setting:
      "SetEnv no-gzip 1 in the stream's <Location> (or text/event-stream out of " +
      "AddOutputFilterByType DEFLATE)",
  },
  lighttpd: {
    note: "mod_deflate may hold a streamed response until a block fills",
    flushesPerEvent: false,
    setting: 'deflate.mimetypes without "text/event-stream"',
  },
  Varnish: {
    note: "http_gzip_support gzips what it caches",
    flushesPerEvent: false,
    setting: "set beresp.do_gzip = false (or return (pipe)) for the stream",
  },
  Caddy: {
    note: "the encode directive compresses, flushing with the stream",
    flushesPerEvent: true,
    setting: "a matcher that keeps text/event-stream out of encode",
  },
  Cloudflare: {
    note: "compresses text types (brotli, gzip) and streams text/event-stream",
    flushesPerEvent: true,
    setting: "a Compression Rule that turns compression off for the stream's path",
  },
  "Amazon CloudFront": {
    note: "compresses objects when the cache behaviour says so",
    flushesPerEvent: false,
    setting: "Compress objects automatically: off for the stream's cache behaviour",
  },
  "Azure Front Door": {
    note: "compresses on routes with compression on",
    flushesPerEvent: false,
    setting: "compression off on the stream's route (or text/event-stream off its list)",
  },
};
