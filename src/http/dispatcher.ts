/**
 * The connections of one `listen`, `doctor` or `load` run (undici): direct, or through the
 * proxy that src/http/proxy-choice.ts picks for each URL. A plain http:// URL goes to an HTTP
 * proxy as an absolute-form request (`GET http://host/path`, as curl sends it; stock Squid
 * refuses CONNECT to port 80); only https:// is tunnelled with CONNECT. Every connection is
 * watched for what `-v` reports: the HTTP version the server said in its status line (HTTP/1.0
 * or 1.1), or h2 from the TLS handshake.
 *
 * undici APIs relied on (the same in undici 7 and 8): `Agent`, `ProxyAgent` with `proxyTunnel:
 * false`, `requestTls` / `proxyTls` (connect `timeout` included) and `factory`, `Pool`,
 * `buildConnector`, and a connector's `(options, callback)` contract.
 */
import type { Socket } from "node:net";
import { rootCertificates } from "node:tls";
import { Agent, buildConnector, type Dispatcher, Pool, ProxyAgent } from "undici";
import { type ProxySettings, proxiesIn, proxyFor, proxySettings } from "./proxy-choice.js";

export interface DispatcherOptions {
  /** Accept any TLS certificate (`--insecure`). */
  insecure?: boolean;
  /** Explicit proxy URL (`--proxy`); otherwise HTTPS_PROXY/HTTP_PROXY/NO_PROXY from `env`. */
  proxy?: string;
  env: Record<string, string | undefined>;
  /** Upper bound for the TCP and TLS handshake (the proxy's too). */
  connectTimeoutMs: number;
  /** Offer HTTP/2 in the TLS handshake (`--http2`, undici's `allowH2`); the server chooses. */
  http2?: boolean;
  /** PEM certificates trusted in addition to the system's roots (`--cacert`). */
  extraCaPem?: string;
  /** Local address to connect from (`load --source-address`). */
  localAddress?: string;
}

/** The HTTP version a response came in: as its status line said, or "2". */
export type HttpVersion = "1.0" | "1.1" | "2";

/** What a run sends its requests through. */
export interface HttpDispatcher {
  /** The undici dispatcher for a request to `url`. */
  for(url: URL): Dispatcher;
  /** The proxy a request to `url` goes through (for messages), or undefined when direct. */
  proxyFor(url: URL): string | undefined;
  /** Forgets the version seen: a request is about to be sent. */
  startResponse(): void;
  /** The version of the response to the request just sent to `url`, when known. */
  responseVersion(url: URL): HttpVersion | undefined;
  destroy(): Promise<void>;
}

type Connector = buildConnector.connector;
type ConnectOptions = buildConnector.Options;

/** What the watched connections of one dispatcher saw. */
class ConnectionWatch {
  /** The version of the last HTTP/1 status line read since `startResponse`. */
  statusLineVersion: HttpVersion | undefined;
  /** ALPN result per origin ("https://host:port" -> "h2" or "http/1.1"). */
  readonly alpnByOrigin = new Map<string, string>();

  /** `connect` that also watches each socket it hands to undici. */
  connector(connect: Connector): Connector {
    return (options: ConnectOptions, callback) =>
      connect(options, (error, socket) => {
        if (socket) this.#watch(socket as Socket, options);
        (callback as (error: Error | null, socket: unknown) => void)(error, socket);
      });
  }

  #watch(socket: Socket, options: ConnectOptions): void {
    const alpn = (socket as { alpnProtocol?: string | false }).alpnProtocol;
    if (typeof alpn === "string") {
      this.alpnByOrigin.set(originKey(options.protocol, options.hostname, options.port), alpn);
    }
    if (alpn === "h2") return;
    // Listen to what undici reads, once undici listens ("readable"): read() emits "data" for
    // each chunk it returns, and a "data" listener added after a "readable" one leaves the
    // socket paused, so nothing is taken from undici. A response head starts a chunk: the
    // request is sent only once the socket is undici's.
    setImmediate(() => {
      socket.on("data", (chunk: Buffer) => {
        if (chunk.length >= 8 && chunk.toString("latin1", 0, 5) === "HTTP/") {
          const version = chunk.toString("latin1", 5, 8);
          if (version === "1.0" || version === "1.1") this.statusLineVersion = version;
        }
      });
    });
  }
}

function originKey(protocol: string, hostname: string, port: string | number): string {
  const host = hostname.replace(/^\[|\]$/g, "");
  const effectivePort =
    port === "" || port === undefined ? (protocol === "https:" ? 443 : 80) : port;
  return `${protocol}//${host}:${effectivePort}`;
}

/** A dispatcher for every request of one run. Destroy it when done. */
export function createDispatcher(options: DispatcherOptions): HttpDispatcher {
  const tls = {
    ...(options.insecure ? { rejectUnauthorized: false } : {}),
    // Node's `ca` replaces the default roots; a private CA is added to them instead, so a
    // redirect to a public host still verifies (as NODE_EXTRA_CA_CERTS does).
    ...(options.extraCaPem === undefined ? {} : { ca: [...rootCertificates, options.extraCaPem] }),
    timeout: options.connectTimeoutMs,
  };
  const allowH2 = options.http2 === true;
  const watch = new ConnectionWatch();
  // Every connection pool undici makes (direct, tunnelled, or to a proxy for absolute-form
  // requests) connects through a watched connector.
  const factory = (origin: string | URL, poolOptions: object): Dispatcher => {
    const connect = (poolOptions as { connect?: unknown }).connect;
    return new Pool(origin, {
      ...poolOptions,
      ...(typeof connect === "function" ? { connect: watch.connector(connect as Connector) } : {}),
    });
  };
  const common = {
    // An event stream may be quiet for minutes; idleness is --idle-timeout's business.
    bodyTimeout: 0,
    allowH2,
    factory,
    // undici hands a client's local address to the connector with each connect.
    ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
  };
  // The factory watches this connector too.
  const direct = new Agent({ ...common, connect: buildConnector({ ...tls, allowH2 }) });
  const settings: ProxySettings = proxySettings(options.proxy, options.env);
  const viaProxy = new Map<string, Dispatcher>();
  for (const proxy of proxiesIn(settings)) {
    viaProxy.set(
      proxy,
      new ProxyAgent({
        ...common,
        uri: proxy,
        // http:// goes to the proxy in absolute form; https:// is tunnelled (CONNECT).
        proxyTunnel: false,
        requestTls: { ...tls, allowH2 },
        proxyTls: tls,
      }),
    );
  }
  return {
    for: (url) => {
      const proxy = proxyFor(url, settings);
      return proxy === undefined ? direct : viaProxy.get(proxy)!;
    },
    proxyFor: (url) => proxyFor(url, settings),
    startResponse: () => {
      watch.statusLineVersion = undefined;
    },
    responseVersion: (url) => {
      if (watch.statusLineVersion !== undefined) return watch.statusLineVersion;
      const alpn = watch.alpnByOrigin.get(originKey(url.protocol, url.hostname, url.port));
      return alpn === "h2" ? "2" : undefined;
    },
    destroy: async () => {
      await Promise.all(
        [direct, ...viaProxy.values()].map((dispatcher) => dispatcher.destroy().catch(() => {})),
      );
    },
  };
}

/** A caller's own dispatcher (tests, library users), used for every request as it is. */
export function singleDispatcher(dispatcher: Dispatcher): HttpDispatcher {
  return {
    for: () => dispatcher,
    proxyFor: () => undefined,
    startResponse: () => {},
    responseVersion: () => undefined,
    destroy: async () => {},
  };
}
