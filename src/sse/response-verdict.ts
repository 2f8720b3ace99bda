/**
 * What a response means for an event stream (HTML §9.2.3 "processing the connection"), decided
 * from its status and Content-Type alone. Pure; the command acts on the verdict.
 */

export const eventStreamMimeType = "text/event-stream";

/** The MIME type essence: `Text/Event-Stream; charset=utf-8` -> `text/event-stream`. */
export function mimeEssence(contentType: string | undefined): string {
  if (contentType === undefined) return "";
  const semicolon = contentType.indexOf(";");
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

export type ResponseVerdict =
  /** A stream to read. */
  | { kind: "stream" }
  /** 204 No Content: the server asks the client to stop; not an error. */
  | { kind: "stop" }
  /** A transient server failure met while reconnecting: back off and try again. */
  | { kind: "retry-later" }
  /** Any other status, or not an event stream: fail, do not reconnect. */
  | { kind: "fail"; reason: "http-status" | "content-type" };

/**
 * The spec fails the connection on any status other than 200 and on a wrong MIME type. This
 * tool accepts any 2xx carrying an event stream, and — only on a reconnect, after a stream was
 * established — treats 5xx, 429 and 408 as transient (a restarting backend), retrying with
 * backoff instead of giving up on a session the user is watching.
 */
export function judgeResponse(
  status: number,
  contentType: string | undefined,
  isReconnect: boolean,
  /** `listen --accept-any-type`: a 2xx of any Content-Type is read as an event stream. */
  acceptAnyType = false,
): ResponseVerdict {
  if (status === 204) return { kind: "stop" };
  if (status < 200 || status > 299) {
    if (isReconnect && (status >= 500 || status === 429 || status === 408)) {
      return { kind: "retry-later" };
    }
    return { kind: "fail", reason: "http-status" };
  }
  if (mimeEssence(contentType) !== eventStreamMimeType && !acceptAnyType)
    return { kind: "fail", reason: "content-type" };
  return { kind: "stream" };
}
