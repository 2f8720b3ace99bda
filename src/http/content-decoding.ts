/**
 * Undoing a response's Content-Encoding (gzip, deflate, br) as bytes arrive, for `listen` and
 * `load`. Every write is flushed, so events are not held back, and a body cut short is not an
 * error here (the connection reports it).
 */
import zlib from "node:zlib";
import { SseToolError } from "../errors.js";

export type BodyDecompressor = zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress;

/** The codings of a Content-Encoding header in the order applied, without "identity". */
export function contentCodings(contentEncoding: string | undefined): string[] {
  return (contentEncoding ?? "")
    .split(",")
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== "" && coding !== "identity");
}

/** A decompressor for one coding; an unknown coding is a "content-type" error. */
export function createDecompressor(coding: string): BodyDecompressor {
  const flush = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  switch (coding) {
    case "gzip":
    case "x-gzip":
      return zlib.createGunzip(flush);
    case "deflate":
      return zlib.createInflate(flush);
    case "br":
      return zlib.createBrotliDecompress({
        flush: zlib.constants.BROTLI_OPERATION_FLUSH,
        finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
      });
    default:
      throw new SseToolError("content-type", `unsupported Content-Encoding: ${coding}`);
  }
}

/** The decompressors for a body's codings, first to apply first (the last coding is undone first). */
export function createDecompressors(codings: readonly string[]): BodyDecompressor[] {
  return [...codings].reverse().map(createDecompressor);
}
