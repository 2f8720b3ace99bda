/**
 * What the client pool counts about connections while a `load` run goes on: attempts and why
 * they failed, streams the server ended or cut, reconnects, and the connect / first-byte /
 * first-event / latency histograms. Pure counters; the pool and clients update them.
 */
import { type FailureReason, failureReasons } from "../../http/network-error.js";
import { DurationHistogram } from "./histogram.js";

/** Why an open stream ended. */
export const dropReasons = [
  /** The server ended the response (final chunk, or Content-Length reached). */
  "ended",
  /** The server closed the connection in the middle of the body. */
  "closed",
  /** The connection was reset or broke. */
  "reset",
  /** The body broke HTTP framing. */
  "protocol",
  /** An event or line was larger than --max-event-size; the client reconnects. */
  "too-large",
] as const;
export type DropReason = (typeof dropReasons)[number];

export class LoadMetrics {
  /** TCP (and TLS) handshake time of each connection. */
  readonly connect = new DurationHistogram();
  /** Request start to response head. */
  readonly firstByte = new DurationHistogram();
  /** Request start to the first event of that stream. */
  readonly firstEvent = new DurationHistogram();
  /** Send time carried in the data (--latency-field) to receive time. */
  readonly latency = new DurationHistogram();

  /** Streams opened (response heads accepted). */
  opened = 0;
  /** Streams open now, and the most open at once. */
  connectedNow = 0;
  peakConnected = 0;
  reconnects = 0;
  /** Body bytes received over all streams. */
  bytes = 0;
  /** Events whose data had no readable --latency-field. */
  latencyUnreadable = 0;
  /** Events whose send time was in the future (clocks apart): not in the latency histogram. */
  latencyNegative = 0;

  readonly failures = new Map<FailureReason, { count: number; example: string }>();
  readonly drops = new Map<DropReason, number>();
  readonly clientReconnects: Uint32Array;
  readonly clientFailures: Uint32Array;
  /** Per client: index + 1 in `failureReasons` of its latest failure, 0 for none. */
  readonly clientLastFailure: Uint8Array;
  /** Per client: 1 while its latest attempt failed (until a stream opens again). */
  readonly clientFailing: Uint8Array;

  constructor(clients: number) {
    this.clientReconnects = new Uint32Array(clients);
    this.clientFailures = new Uint32Array(clients);
    this.clientLastFailure = new Uint8Array(clients);
    this.clientFailing = new Uint8Array(clients);
  }

  /** Clients whose latest attempt failed. */
  get failingClients(): number {
    let failing = 0;
    for (const flag of this.clientFailing) failing += flag;
    return failing;
  }

  /** Failed attempts over every reason. */
  get failedAttempts(): number {
    let total = 0;
    for (const { count } of this.failures.values()) total += count;
    return total;
  }

  get droppedStreams(): number {
    let total = 0;
    for (const count of this.drops.values()) total += count;
    return total;
  }

  streamOpened(client: number): void {
    this.clientFailing[client] = 0;
    this.opened++;
    this.connectedNow++;
    if (this.connectedNow > this.peakConnected) this.peakConnected = this.connectedNow;
  }

  streamDropped(reason: DropReason): void {
    this.connectedNow--;
    this.drops.set(reason, (this.drops.get(reason) ?? 0) + 1);
  }

  /** A stream closed because the run stopped: not a drop. */
  streamStopped(): void {
    this.connectedNow--;
  }

  attemptFailed(client: number, reason: FailureReason, message: string): void {
    const entry = this.failures.get(reason);
    // The first message of each reason is kept as the example: bounded, whatever the count.
    if (entry === undefined)
      this.failures.set(reason, { count: 1, example: message.slice(0, 300) });
    else entry.count++;
    this.clientFailures[client]!++;
    this.clientLastFailure[client] = failureReasons.indexOf(reason) + 1;
    this.clientFailing[client] = 1;
  }

  reconnecting(client: number): void {
    this.reconnects++;
    this.clientReconnects[client]!++;
  }
}
