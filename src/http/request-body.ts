/** Reads the `-d/--data` request body: literal text, `@file`, or `@-` for stdin. */
import { readFile } from "node:fs/promises";
import type { Readable } from "node:stream";
import { SseToolError } from "../errors.js";

/**
 * The body bytes, sent unchanged (like curl's --data-binary: line breaks in a file are kept,
 * where curl's -d would strip them).
 */
export async function readRequestBody(spec: string, stdin: Readable): Promise<Buffer> {
  if (spec === "@-") {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin as AsyncIterable<Buffer | string>) {
      chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    }
    return Buffer.concat(chunks);
  }
  if (spec.startsWith("@")) {
    const path = spec.slice(1);
    try {
      return await readFile(path);
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code === "ENOENT"
          ? "no such file"
          : String((error as Error).message);
      throw new SseToolError("input", `cannot read request body from ${path}: ${reason}`, {
        cause: error,
      });
    }
  }
  return Buffer.from(spec, "utf8");
}

/** Whether a body is JSON text (an object or array): it then gets `Content-Type: application/json`. */
export function bodyIsJsonText(body: Uint8Array): boolean {
  const first = body.find(
    (byte) => byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09,
  );
  if (first !== 0x7b && first !== 0x5b) return false;
  try {
    JSON.parse(new TextDecoder().decode(body));
    return true;
  } catch {
    return false;
  }
}
