/**
 * A connected client as the hub sees it: a backlog, a way to send and to drop, and the few
 * fields the hub keeps on it (heartbeat, stall and progress marks). Pure.
 */

/** What the hub needs from a connected client (the HTTP side implements it). */
export interface HubClient {
  /** Bytes handed to the connection and not yet taken by the peer's socket. */
  readonly backlogBytes: number;
  /** Queues bytes for the peer. */
  send(chunk: Buffer): void;
  /** The hub gave up on this client (its backlog would pass the bound); close it and log. */
  drop(reason: string): void;
  /** Hub-owned: something was sent since the last heartbeat tick. */
  sentSinceHeartbeat: boolean;
  /** Hub-owned: made no progress while the source waited; not waited for until it drains. */
  stalled: boolean;
  /** Hub-owned: a write reached its socket since the last stall check. */
  progressed: boolean;
}
