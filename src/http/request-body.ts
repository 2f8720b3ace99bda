/** Reads the `-d/--data` request body: literal text, `@file`, or `@-` for stdin. */
import { readFile } from "node:fs/promises";
import type { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { SseToolError } from "../errors.js";

/**
 * The body bytes, sent unchanged (like curl's --data-binary: line breaks in a file are kept,
 * where curl's -d would strip them).
 */
export async function readRequestBody(spec: string, stdin: Readable): Promise<Buffer> {
  if (spec === "@-") return buffer(stdin);
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
