/** Reads `--cacert <file>`: the PEM certificates of a private CA to trust for TLS. */
import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { SseToolError } from "../errors.js";

const beginMarker = "-----BEGIN CERTIFICATE-----";
const endMarker = "-----END CERTIFICATE-----";

/**
 * The PEM certificate blocks of `text`, found with indexOf: one pass, however the file is made
 * (a lazy regular expression rescans to the end from every BEGIN that has no END).
 */
function pemCertificates(text: string): string[] {
  const blocks: string[] = [];
  for (let begin = text.indexOf(beginMarker); begin !== -1; ) {
    const end = text.indexOf(endMarker, begin + beginMarker.length);
    if (end === -1) break;
    if (end > begin + beginMarker.length) blocks.push(text.slice(begin, end + endMarker.length));
    begin = text.indexOf(beginMarker, end + endMarker.length);
  }
  return blocks;
}

/**
 * The file's certificates as PEM text. Fails early, with the file named, when it is missing or
 * holds no valid certificate (a private key or a DER file given by mistake), rather than at
 * the TLS handshake with a less telling "certificate not trusted".
 */
export async function readCaCertificateFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a directory"
          : (error as Error).message;
    throw new SseToolError("input", `cannot read --cacert ${path}: ${reason}`, { cause: error });
  }
  const certificates = pemCertificates(text);
  if (certificates.length === 0) {
    throw new SseToolError(
      "input",
      `--cacert ${path} holds no PEM certificate ("-----BEGIN CERTIFICATE-----")`,
    );
  }
  for (const pem of certificates) {
    try {
      new X509Certificate(pem);
    } catch (error) {
      throw new SseToolError(
        "input",
        `--cacert ${path} holds a certificate that cannot be read: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  return certificates.join("\n");
}
