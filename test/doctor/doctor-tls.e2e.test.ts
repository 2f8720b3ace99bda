/** doctor's HTTP-version check over TLS: HTTP/2 offered (ALPN h2) passes, HTTP/1.1 only warns. */
import { createSecureServer } from "node:http2";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckResult } from "../../src/doctor/checks/result.js";
import { runCli } from "../helpers/cli-process.js";
import { createTestCertificateChain } from "../helpers/tls-test-certificates.js";
import { streamRoute } from "./doctor-test-server.js";

const closers: Array<() => void> = [];
let h1Url: string;
let h2Url: string;

beforeAll(async () => {
  const chain = createTestCertificateChain();
  const tls = { key: chain.serverKey, cert: chain.serverCert };
  const handler = streamRoute();
  const h1 = createHttpsServer(tls, handler);
  // HTTP/2 with HTTP/1.1 fallback, as most TLS front ends are configured.
  const h2 = createSecureServer({ ...tls, allowHTTP1: true }, handler as never);
  for (const server of [h1, h2]) {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => server.close());
  }
  h1Url = `https://127.0.0.1:${(h1.address() as AddressInfo).port}/events`;
  h2Url = `https://127.0.0.1:${(h2.address() as AddressInfo).port}/events`;
});

afterAll(() => {
  for (const close of closers) close();
});

async function httpVersionCheck(url: string): Promise<CheckResult | undefined> {
  const result = await runCli(["doctor", "--json", "--insecure", "--duration", "0.5", url]);
  const report = JSON.parse(result.stdout) as { checks: CheckResult[] };
  return report.checks.find((check) => check.id === "http-version");
}

describe.concurrent("doctor over TLS", () => {
  it("HTTP/1.1 only: warns about the 6-connection limit", async () => {
    const check = await httpVersionCheck(h1Url);
    expect(check?.status).toBe("warn");
    expect(check?.reason).toContain("HTTP/1.1 only");
  });

  it("HTTP/2 offered: passes", async () => {
    const check = await httpVersionCheck(h2Url);
    expect(check).toMatchObject({ status: "pass" });
    expect(check?.reason).toContain("ALPN h2");
  });

  it("an IP address as host gives no DEP0123 warning (no IP as TLS server name)", async () => {
    const result = await runCli(["doctor", "--insecure", "--duration", "0.5", h1Url]);
    expect(new URL(h1Url).hostname).toBe("127.0.0.1");
    expect(result.stdout).toContain("http-version");
    expect(result.stderr).not.toMatch(/DEP0123|DeprecationWarning/);
  });
});
