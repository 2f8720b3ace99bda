/**
 * A private certificate chain made at test time with `openssl`: a CA, and a server certificate
 * it signed for 127.0.0.1 and localhost. Tests trust the CA with `--cacert`, as a user trusts a
 * company CA, instead of turning verification off with `--insecure`.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCertificateChain {
  /** Folder holding the files below (left for the OS to clean up). */
  dir: string;
  /** The CA certificate (PEM) to pass to `--cacert`. */
  caCertPath: string;
  /** The server's private key and certificate, signed by the CA. */
  serverKey: Buffer;
  serverCert: Buffer;
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

/** EC P-256 keys: generated in milliseconds, unlike RSA. */
export function createTestCertificateChain(): TestCertificateChain {
  const dir = mkdtempSync(join(tmpdir(), "sse-tool-tls-"));
  const ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  openssl(
    [
      "req",
      "-x509",
      ...ecKey,
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "2",
      "-subj",
      "/CN=sse-tool test CA",
    ],
    dir,
  );
  openssl(
    ["req", ...ecKey, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"],
    dir,
  );
  writeFileSync(
    join(dir, "server.ext"),
    [
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "basicConstraints=CA:FALSE",
      "keyUsage=digitalSignature",
      "extendedKeyUsage=serverAuth",
      "",
    ].join("\n"),
  );
  openssl(
    [
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "server.pem",
      "-days",
      "2",
      "-extfile",
      "server.ext",
    ],
    dir,
  );
  return {
    dir,
    caCertPath: join(dir, "ca.pem"),
    serverKey: readFileSync(join(dir, "server.key")),
    serverCert: readFileSync(join(dir, "server.pem")),
  };
}
