/**
 * Reads a request body for the routes of `serve` (publishing, the fake LLM APIs), up to a
 * limit: what a client sends is held in memory only up to that many bytes. What was read goes
 * to the request journal too (its start, within the journal's own bound).
 */
import type { IncomingMessage } from "node:http";
import { reportRequestBody } from "../journal/journal-recorder.js";

/** The body, or why there is none: over the limit, or the client went away mid-body. */
export type RequestBody = Buffer | "too-large" | "aborted";

export function readRequestBody(request: IncomingMessage, maxBytes: number): Promise<RequestBody> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (body: RequestBody) => {
      if (settled) return;
      settled = true;
      if (body !== "aborted") {
        reportRequestBody(request, body === "too-large" ? Buffer.concat(parts) : body, size);
      }
      parts.length = 0;
      resolve(body);
    };
    request.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) settle("too-large");
      else parts.push(chunk);
    });
    request.on("end", () => settle(Buffer.concat(parts, size)));
    // Without an 'error' listener an aborted upload is silent; with one it must be handled.
    request.on("error", () => settle("aborted"));
    request.on("close", () => settle("aborted"));
  });
}
