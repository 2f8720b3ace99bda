/**
 * Whether a stream that ended or dropped is followed again, as a browser's EventSource would
 * follow it, or why not: the one error the run then ends with. Pure.
 */
import { SseToolError } from "../errors.js";

/** How the connection just read ended (decoding.ts's BodyEnd, less "stopped"). */
export type ConnectionEnd =
  | { kind: "ended" }
  | { kind: "dropped"; reason: string; peer?: string; connected?: boolean };

export interface ReconnectContext {
  /** A stream was read on some connection of this run. */
  connectedOnce: boolean;
  /** The request may be sent again (GET, or --reconnect-post). */
  resend: boolean;
  /** --no-reconnect was not given. */
  reconnect: boolean;
  method: string;
  /** Host of the URL as given, for a connection that failed before any peer answered. */
  targetHost: string;
}

/** "ended": the run ends well; an error: it ends with it; undefined: reconnect. */
export function refuseReconnect(
  end: ConnectionEnd,
  context: ReconnectContext,
): "ended" | SseToolError | undefined {
  if (end.kind === "ended" && !context.resend) return "ended";
  const reason = connectionEndReason(end);
  if (!context.connectedOnce) {
    // A dead port or a typo in the host: say so at once rather than retrying in silence.
    // Once a stream has been read, failures are retried as a browser would.
    const peer = end.kind === "dropped" ? (end.peer ?? context.targetHost) : context.targetHost;
    const failed =
      end.kind === "dropped" && end.connected ? "no response from" : "cannot connect to";
    return new SseToolError("connect", `${failed} ${peer}: ${reason}`);
  }
  if (!context.resend) {
    const refusal = context.reconnect
      ? `${context.method} is not re-sent; --reconnect-post re-sends it`
      : "--no-reconnect";
    return new SseToolError("connect", `connection lost: ${reason} (${refusal})`);
  }
  return undefined;
}

/** What the reconnect line and the errors say of the end. */
export function connectionEndReason(end: ConnectionEnd): string {
  return end.kind === "ended" ? "stream ended" : end.reason;
}
