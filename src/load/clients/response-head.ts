/**
 * What a `load` client does with a response head: follow a redirect, stop on 204, fail (and
 * whether to try again later), or read the stream through the decompressors its
 * Content-Encoding needs.
 */
import { SseToolError } from "../../errors.js";
import {
  type BodyDecompressor,
  contentCodings,
  createDecompressors,
} from "../../http/content-decoding.js";
import {
  type FollowedRedirect,
  nextRedirect,
  type RedirectHeaderRules,
} from "../../http/redirect-follow.js";
import type { ResponseHead, StreamRequest } from "../../http/transports/stream-transport.js";
import { judgeResponse } from "../../sse/response-verdict.js";

export type HeadVerdict =
  /** 204 No Content: the server asks the client to stop (§9.2.3); not an error. */
  | { kind: "stop" }
  | { kind: "failed"; error: unknown; mayRetry: boolean }
  | { kind: "stream"; decompressors: BodyDecompressor[] };

/** The request a redirect asks for, or undefined; throws when it cannot be followed. */
export function redirectOf(
  head: ResponseHead,
  request: StreamRequest,
  limits: { readonly redirectRules: RedirectHeaderRules; readonly maxRedirects: number },
  redirects: number,
): FollowedRedirect | undefined {
  return nextRedirect(
    head.status,
    head.location,
    {
      url: request.url.href,
      method: request.method,
      headers: { ...request.headers },
      body: request.body,
    },
    limits.redirectRules,
    redirects,
    limits.maxRedirects,
  );
}

/** The verdict on a final (not redirecting) response head. */
export function acceptHead(head: ResponseHead, reconnecting: boolean): HeadVerdict {
  const verdict = judgeResponse(head.status, head.contentType, reconnecting);
  if (verdict.kind === "stop") return { kind: "stop" };
  if (verdict.kind !== "stream") {
    const status = `HTTP ${head.status} ${head.statusText}`.trim();
    const error =
      verdict.kind === "fail" && verdict.reason === "content-type"
        ? new SseToolError(
            "content-type",
            `Content-Type ${head.contentType ?? "(none)"}, not text/event-stream (${status})`,
          )
        : new SseToolError("http-status", status);
    // 5xx, 429 and 408 on a reconnect mean "try again later"; anything else fails for good.
    return { kind: "failed", error, mayRetry: verdict.kind === "retry-later" };
  }
  const codings = contentCodings(head.contentEncoding);
  if (codings.length === 0) return { kind: "stream", decompressors: [] };
  try {
    return { kind: "stream", decompressors: createDecompressors(codings) };
  } catch (error) {
    return { kind: "failed", error, mayRetry: false };
  }
}
