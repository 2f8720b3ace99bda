/** doctor's HTTP-version check over TLS: HTTP/2 offered (ALPN h2) passes, HTTP/1.1 only warns. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createSecureServer } from "node:http2";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckResult } from "../../src/core/doctor-checks.js";
import { runCli } from "../helpers/cli-process.js";
import { streamRoute } from "./doctor-test-server.js";

const workDir = mkdtempSync(join(tmpdir(), "sse-tool-doctor-tls-"));
const closers: Array<() => void> = [];
let h1Url: string;
let h2Url: string;

beforeAll(async () => {
  const keyPath = join(workDir, "key.pem");
  const certPath = join(workDir, "cert.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
    ].concat(["-keyout", keyPath, "-out", certPath]),
    { stdio: "ignore" },
  );
  const tls = { key: readFileSync(keyPath), cert: readFileSync(certPath) };
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
  rmSync(workDir, { recursive: true, force: true });
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
});
