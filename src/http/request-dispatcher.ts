/** The dispatcher a command's request options ask for: TLS, HTTP/2, the CA file and the proxy. */
import { readCaCertificateFile } from "./ca-certificate-file.js";
import { createDispatcher, type HttpDispatcher } from "./dispatcher.js";
import type { RequestCliOptions } from "./request.js";

export async function dispatcherFor(
  options: Pick<RequestCliOptions, "insecure" | "proxy"> & { http2?: boolean; cacert?: string },
  env: Record<string, string | undefined>,
  connectTimeoutMs: number,
): Promise<HttpDispatcher> {
  return createDispatcher({
    insecure: options.insecure,
    http2: options.http2,
    extraCaPem:
      options.cacert === undefined ? undefined : await readCaCertificateFile(options.cacert),
    proxy: options.proxy,
    env,
    connectTimeoutMs,
  });
}
