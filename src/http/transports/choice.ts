/**
 * Which transport carries a command's streams. HTTP/2 multiplexes and a proxy tunnels: undici
 * does both, loaded only then. Plain HTTP/1.1 streams take the lean client, which costs far less
 * memory per connection.
 */
import type { DispatcherOptions } from "../dispatcher.js";
import { proxiesIn, proxySettings } from "../proxy-choice.js";
import { Http1Transport } from "./http1.js";
import type { StreamTransport } from "./stream-transport.js";

export type TransportOptions = Omit<DispatcherOptions, "localAddress">;

export async function chooseStreamTransport(options: TransportOptions): Promise<StreamTransport> {
  // Any proxy at all (a redirect may lead to a host NO_PROXY does not exempt).
  const viaProxy = proxiesIn(proxySettings(options.proxy, options.env)).length > 0;
  if (options.http2 === true || viaProxy) {
    const { UndiciTransport } = await import("./undici.js");
    return new UndiciTransport(options);
  }
  return new Http1Transport({
    connectTimeoutMs: options.connectTimeoutMs,
    insecure: options.insecure,
    extraCaPem: options.extraCaPem,
  });
}
