/** The stream a feed writes to; http/stream-client.ts implements it. */
import type { Socket } from "node:net";
import type { HubClient } from "./hub-client.js";

/**
 * What a feed (the hub, or a replay) writes one stream to: the client's connection itself, or
 * the faults put in front of it (faults/).
 */
export interface StreamSink extends HubClient {
  readonly socket: Socket;
  /** Why the hub dropped this client, if it did. */
  readonly dropReason: string | undefined;
  /** Ends the response cleanly; `done` runs once that reached the socket or failed. */
  end(done: () => void): void;
  /**
   * Ends the connection without ending the response (no last chunk), after what was written:
   * to the client the stream broke.
   */
  cut(): void;
}
