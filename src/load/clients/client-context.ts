/** What every `load` client of a run shares: the pool hands it to each client it makes. */
import type { RedirectHeaderRules } from "../../http/redirect-follow.js";
import type { StreamRequest, StreamTransport } from "../../http/transports/stream-transport.js";
import type { SharedUtf8Decoder } from "../../sse/utf8-body.js";
import type { DeliveryAccounting } from "../accounting/delivery.js";
import type { LatencyReader } from "../accounting/latency-field.js";
import type { LoadMetrics } from "../accounting/metrics.js";

export interface ClientContext {
  readonly transport: StreamTransport;
  /** The request as the user gave it; every attempt starts from it (redirects are re-followed). */
  readonly request: StreamRequest;
  /** Which headers follow a redirect to another origin (-H, --location-trusted). */
  readonly redirectRules: RedirectHeaderRules;
  readonly accounting: DeliveryAccounting;
  readonly metrics: LoadMetrics;
  readonly utf8: SharedUtf8Decoder;
  readonly latency: LatencyReader | undefined;
  /** Whether an ended stream is requested again (GET, as listen does). */
  readonly reconnect: boolean;
  readonly retryMs: number;
  readonly maxEventSize: number;
  readonly maxRedirects: number;
  /** True once the run is stopping: nothing is reconnected any more. */
  readonly stopping: boolean;
  /** Events received by every client so far. */
  events: number;
  /** performance.now() of the first and the latest event received by any client (NaN: none). */
  firstEventAtMs: number;
  lastEventAtMs: number;
  /** The request after a redirect (built once per target and shared). */
  requestFor(
    url: string,
    method: string,
    headers: Record<string, string>,
    body?: Uint8Array,
  ): StreamRequest;
  sourceAddressFor(client: number): string | undefined;
  /** The client's first attempt has an outcome (a stream, or a failure). */
  firstAttemptDone(client: number): void;
  /** The client will not connect again (failed for good, 204, or an ended non-GET stream). */
  clientDone(client: number): void;
}
