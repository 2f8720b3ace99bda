/**
 * The one HTTP client module (undici 7). Opens a request, follows redirects up to a bound,
 * decodes a compressed body, and hands back the status, headers and body as a byte stream.
 * The dispatcher is a parameter so tests hand in real local servers and proxies.
 */
import { STATUS_CODES } from "node:http";
import { pipeline, type Readable } from "node:stream";
import { rootCertificates } from "node:tls";
import { setFlagsFromString } from "node:v8";
import {
  Agent,
  buildConnector,
  type Dispatcher,
  EnvHttpProxyAgent,
  ProxyAgent,
  request,
} from "undici";
import { type BodyDecompressor, contentCodings, createDecompressors } from "./content-decoding.js";
import { proxyInEnvironment } from "./proxy-env.js";
import { nextRedirect } from "./redirect.js";

export interface DispatcherOptions {
  /** Accept any TLS certificate (`--insecure`). */
  insecure?: boolean;
  /** Explicit proxy URL (`--proxy`); otherwise HTTPS_PROXY/HTTP_PROXY/NO_PROXY from `env`. */
  proxy?: string;
  env: Record<string, string | undefined>;
  /** Upper bound for the TCP and TLS handshake. */
  connectTimeoutMs: number;
  /** Offer HTTP/2 in the TLS handshake (`--http2`, undici's `allowH2`); the server chooses. */
  http2?: boolean;
  /** PEM certificates trusted in addition to the system's roots (`--cacert`). */
  extraCaPem?: string;
  /** Local address to connect from (`load --source-address`). */
  localAddress?: string;
}

// undici compiles its llhttp WebAssembly parser on the first HTTP/1.1 connection, and V8's
// optimizing tier (TurboFan) then recompiles it on a background thread: about 35 MB more peak
// RSS and a CPU core taken from the stream being read (issue 8, `npm run bench`). The baseline
// tier (Liftoff) is enough here: llhttp only frames an event stream's body, it does not scan it.
setFlagsFromString("--liftoff-only");

/**
 * The protocol each connection of a dispatcher negotiated, by origin ("https://host:port" ->
 * "h2" or "http/1.1"), so `-v` can say which HTTP version answered. Only known for direct
 * connections (a proxy tunnel's TLS is set up inside undici).
 */
const negotiatedProtocols = new WeakMap<Dispatcher, Map<string, string>>();

/** A dispatcher for every request of one `listen` run. Close it when done. */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const tls = {
    ...(options.insecure ? { rejectUnauthorized: false } : {}),
    // Node's `ca` replaces the default roots; a private CA is added to them instead, so a
    // redirect to a public host still verifies (as NODE_EXTRA_CA_CERTS does).
    ...(options.extraCaPem === undefined ? {} : { ca: [...rootCertificates, options.extraCaPem] }),
  };
  const allowH2 = options.http2 === true;
  const agentOptions = {
    connect: { timeout: options.connectTimeoutMs, ...tls },
    // undici takes the local address as a client option; its connector ignores connect's.
    ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
    // An event stream may be quiet for minutes; idleness is --idle-timeout's business.
    bodyTimeout: 0,
    allowH2,
  };
  if (options.proxy !== undefined) {
    return new ProxyAgent({
      ...agentOptions,
      uri: options.proxy,
      requestTls: { ...tls, allowH2 },
      proxyTls: tls,
    });
  }
  if (proxyInEnvironment(options.env)) {
    const env = options.env;
    return new EnvHttpProxyAgent({
      ...agentOptions,
      requestTls: { ...tls, allowH2 },
      proxyTls: tls,
      httpProxy: env.http_proxy ?? env.HTTP_PROXY,
      httpsProxy: env.https_proxy ?? env.HTTPS_PROXY,
      noProxy: env.no_proxy ?? env.NO_PROXY,
    });
  }
  const protocols = new Map<string, string>();
  const connector = buildConnector({ ...agentOptions.connect, allowH2 });
  const agent = new Agent({
    ...agentOptions,
    connect: (connectOptions, callback) =>
      connector(connectOptions, (error, socket) => {
        if (socket) {
          const alpn = (socket as { alpnProtocol?: string | false }).alpnProtocol;
          protocols.set(
            originKey(connectOptions.protocol, connectOptions.hostname, connectOptions.port),
            typeof alpn === "string" ? alpn : "http/1.1",
          );
        }
        // undici's callback types want either an error or a socket.
        (callback as (error: Error | null, socket: unknown) => void)(error, socket);
      }),
  });
  negotiatedProtocols.set(agent, protocols);
  return agent;
}

function originKey(protocol: string, hostname: string, port: string | number): string {
  const host = hostname.replace(/^\[|\]$/g, "");
  const effectivePort =
    port === "" || port === undefined ? (protocol === "https:" ? 443 : 80) : port;
  return `${protocol}//${host}:${effectivePort}`;
}

/** "2" or "1.1" for a URL last fetched through `dispatcher`; undefined when not known. */
function httpVersionFor(dispatcher: Dispatcher, url: string): "2" | "1.1" | undefined {
  const target = new URL(url);
  const alpn = negotiatedProtocols
    .get(dispatcher)
    ?.get(originKey(target.protocol, target.hostname, target.port));
  if (alpn === undefined) return undefined;
  return alpn === "h2" ? "2" : "1.1";
}

export interface HttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  dispatcher: Dispatcher;
  signal: AbortSignal;
  /** Time allowed for the response headers after the request was sent. */
  headersTimeoutMs: number;
  /** Redirects followed before giving up with a "redirect" error. */
  maxRedirects: number;
  /** Told about each redirect followed (for `-v`). */
  onRedirect?: (status: number, location: string) => void;
}

export interface HttpResponse {
  /** The URL that answered, after redirects. */
  url: string;
  status: number;
  statusText: string;
  /** "2" or "1.1" as negotiated, when the dispatcher knows it (see createDispatcher). */
  httpVersion: "2" | "1.1" | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** The Content-Encoding the body was decoded from, or undefined when it was not encoded. */
  contentEncoding: string | undefined;
  /** The body bytes, already decoded from gzip/deflate/br. */
  body: Readable;
}

export function headerValue(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** Sends the request and resolves when the final (non-redirect) response headers arrived. */
export async function openRequest(input: HttpRequest): Promise<HttpResponse> {
  let url = input.url;
  let method = input.method;
  let body = input.body;
  let headers = { ...input.headers };
  for (let redirects = 0; ; redirects++) {
    const response = await request(url, {
      dispatcher: input.dispatcher,
      method: method as Dispatcher.HttpMethod,
      headers,
      body,
      signal: input.signal,
      headersTimeout: input.headersTimeoutMs,
      bodyTimeout: 0,
    });
    let next: ReturnType<typeof nextRedirect>;
    try {
      next = nextRedirect(
        response.statusCode,
        headerValue(response.headers, "location"),
        { url, method, headers, body },
        redirects,
        input.maxRedirects,
      );
    } catch (error) {
      await response.body.dump().catch(() => {});
      throw error;
    }
    if (next === undefined) {
      return {
        url,
        status: response.statusCode,
        httpVersion: httpVersionFor(input.dispatcher, url),
        statusText: response.statusText || STATUS_CODES[response.statusCode] || "",
        headers: response.headers,
        ...decodeBody(response.body, headerValue(response.headers, "content-encoding")),
      };
    }
    await response.body.dump().catch(() => {});
    input.onRedirect?.(response.statusCode, next.url);
    ({ url, method, headers, body } = next);
  }
}

function decodeBody(
  raw: Readable,
  contentEncoding: string | undefined,
): { body: Readable; contentEncoding: string | undefined } {
  const codings = contentCodings(contentEncoding);
  if (codings.length === 0) return { body: raw, contentEncoding: undefined };
  let decoders: BodyDecompressor[];
  try {
    // Codings are listed in the order applied; undo them last first.
    decoders = createDecompressors(codings);
  } catch (error) {
    discardBody(raw);
    throw error;
  }
  const last = decoders[decoders.length - 1]!;
  pipeline([raw, ...decoders], () => {
    // Errors surface on `last`, which the caller reads.
  });
  return { body: last, contentEncoding: codings.join(", ") };
}

/** Reads up to `maxBytes` of a body (for error messages) and discards the rest. */
export async function readBodyStart(body: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= maxBytes) break;
    }
  } catch {
    // A body cut short still shows what arrived.
  } finally {
    discardBody(body);
  }
  return Buffer.concat(chunks).subarray(0, maxBytes);
}

/**
 * Stops reading a body and releases its connection. undici's body emits an "aborted" error
 * when destroyed early; nobody needs that error, and unheard it would crash the process.
 */
export function discardBody(body: Readable): void {
  body.on("error", () => {});
  body.destroy();
}
