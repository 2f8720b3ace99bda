/**
 * An HTTP/2-only TLS server on 127.0.0.1 (port 0): a client that does not offer h2 fails the TLS
 * handshake, so a test can tell --http2 was offered. `onStream` answers each request.
 */
import { createSecureServer, type IncomingHttpHeaders, type ServerHttp2Stream } from "node:http2";
import type { AddressInfo } from "node:net";
import type { TestCertificateChain } from "./tls-test-certificates.js";

export interface H2OnlyServer {
  /** e.g. https://127.0.0.1:41234 (no path) */
  url: string;
  close(): Promise<void>;
}

export async function startH2OnlyServer(
  chain: TestCertificateChain,
  onStream: (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => void,
): Promise<H2OnlyServer> {
  const server = createSecureServer({
    key: chain.serverKey,
    cert: chain.serverCert,
    allowHTTP1: false,
  });
  server.on("stream", onStream);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
