/**
 * What each provider's wire format provides the fake: a reply streamed, the same reply whole,
 * the error event that breaks a stream, and the error body of an HTTP error. Pure.
 */
import type { OutgoingEvent } from "../../../sse/encoder.js";
import type { PlannedEvent, ReplyPlan } from "../plan.js";

export type Json = Record<string, unknown>;

export interface WireFormat {
  /** The events of a streamed reply, in order, the token-carrying ones marked. */
  stream(plan: ReplyPlan): PlannedEvent[];
  /** What the provider sends when the stream breaks with an error (nothing follows). */
  streamError(plan: ReplyPlan, message: string): OutgoingEvent[];
  /** The reply as one JSON body, for a request that did not ask to stream. */
  complete(plan: ReplyPlan): Json;
  /** The provider's body for an HTTP error. */
  errorBody(status: number, message: string): Json;
}

/** How an HTTP status reads, for naming it in each provider's words. */
export type StatusKind = "auth" | "not-found" | "rate" | "overloaded" | "server" | "request";

export function statusKind(status: number): StatusKind {
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "not-found";
  if (status === 429) return "rate";
  if (status === 529 || status === 503) return "overloaded";
  if (status >= 500) return "server";
  return "request";
}

/** The message an HTTP error carries when the script gives none. */
export function defaultErrorMessage(status: number): string {
  switch (statusKind(status)) {
    case "auth":
      return "Incorrect API key provided.";
    case "not-found":
      return "The model does not exist.";
    case "rate":
      return "Rate limit reached. Please try again later.";
    case "overloaded":
      return "Overloaded";
    case "server":
      return "The server had an error while processing your request.";
    case "request":
      return "Invalid request.";
  }
}
