/**
 * `--check`'s look at the server's own stream (GET): whether it opens, and whether a comment
 * keeps it alive while nothing happens, watched for a short while.
 */
import { discardBody } from "../../http/client.js";
import type { McpConnection } from "../connection.js";
import { mediaType, sendHttp } from "../session/http-exchange.js";
import { newStreamProgress, readEventStream } from "../session/stream-reader.js";

/** How long a quiet stream is watched for a keep-alive comment. */
export const quietStreamWatchMs = 2000;

export interface QuietStreamSeen {
  status: number;
  type: string;
  /** Comments seen before the watch ended (at the first one). */
  comments: number;
}

export async function watchServerStream(
  connection: McpConnection,
  headers: Record<string, string>,
): Promise<QuietStreamSeen> {
  const context = {
    ...connection.context,
    signal: AbortSignal.any([connection.context.signal, AbortSignal.timeout(quietStreamWatchMs)]),
  };
  const response = await sendHttp(context, "GET", connection.url, headers);
  const type = mediaType(response);
  if (response.status !== 200 || type !== "text/event-stream") {
    discardBody(response.body);
    return { status: response.status, type, comments: 0 };
  }
  const progress = newStreamProgress();
  await readEventStream(response.body, progress, () => false, true);
  return { status: response.status, type, comments: progress.comments };
}
