/**
 * The clients of one `load` run and what they share: the transport, the prepared request, the
 * accounting and the counters. Opens the clients over `--ramp` (or as fast as the server
 * accepts them, a bounded number of first connections in flight at once so its accept queue
 * never overflows), spreads them over the source addresses, and stops them all at the end.
 */
import type { RedirectHeaderRules } from "../../http/redirect-follow.js";
import {
  buildStreamRequest,
  type StreamRequest,
  type StreamTransport,
} from "../../http/transports/stream-transport.js";
import { SharedUtf8Decoder } from "../../sse/utf8-body.js";
import type { DeliveryAccounting } from "../accounting/delivery.js";
import type { LatencyReader } from "../accounting/latency-field.js";
import type { LoadMetrics } from "../accounting/metrics.js";
import { LoadClient } from "./client.js";
import type { ClientContext } from "./client-context.js";

export interface PoolOptions {
  clients: number;
  /** Time over which the clients are opened evenly; 0 opens them as fast as possible. */
  rampMs: number;
  /** First connection attempts in flight at once, at most. */
  maxPendingConnects: number;
  /** Local addresses to connect from, round robin; empty for the system's choice. */
  sourceAddresses: readonly string[];
  transport: StreamTransport;
  request: StreamRequest;
  /** Which of the request's headers follow a redirect to another origin. */
  redirectRules: RedirectHeaderRules;
  accounting: DeliveryAccounting;
  metrics: LoadMetrics;
  latency: LatencyReader | undefined;
  reconnect: boolean;
  retryMs: number;
  maxEventSize: number;
}

const rampTickMs = 10;
const accountingTickMs = 200;
const redirectTargetsKept = 32;

export class ClientPool implements ClientContext {
  readonly transport: StreamTransport;
  readonly request: StreamRequest;
  readonly redirectRules: RedirectHeaderRules;
  readonly accounting: DeliveryAccounting;
  readonly metrics: LoadMetrics;
  readonly latency: LatencyReader | undefined;
  readonly reconnect: boolean;
  readonly retryMs: number;
  readonly maxEventSize: number;
  readonly maxRedirects = 10;
  readonly utf8 = new SharedUtf8Decoder();
  stopping = false;
  events = 0;
  firstEventAtMs = Number.NaN;
  lastEventAtMs = Number.NaN;

  readonly #options: PoolOptions;
  readonly #clients: LoadClient[] = [];
  readonly #redirectTargets = new Map<string, StreamRequest>();
  #startedAtMs = 0;
  #pending = 0;
  #done = 0;
  /** Clients whose first attempt failed, while no stream was ever opened. */
  #firstAttemptsFailed = 0;
  #rampTimer: NodeJS.Timeout | undefined;
  #tickTimer: NodeJS.Timeout | undefined;
  #settle: (() => void) | undefined;
  /** Resolves when no client will connect again, or every first attempt failed. */
  readonly settled: Promise<void>;

  constructor(options: PoolOptions) {
    this.#options = options;
    this.transport = options.transport;
    this.request = options.request;
    this.redirectRules = options.redirectRules;
    this.accounting = options.accounting;
    this.metrics = options.metrics;
    this.latency = options.latency;
    this.reconnect = options.reconnect;
    this.retryMs = options.retryMs;
    this.maxEventSize = options.maxEventSize;
    this.settled = new Promise((resolve) => {
      this.#settle = resolve;
    });
  }

  /** Clients opened so far. */
  get started(): number {
    return this.#clients.length;
  }

  /** Whether every client was opened and every first attempt failed, with no stream ever. */
  get nothingConnected(): boolean {
    return this.metrics.opened === 0 && this.#firstAttemptsFailed === this.#options.clients;
  }

  start(): void {
    this.#startedAtMs = performance.now();
    this.#tickTimer = setInterval(() => this.accounting.tick(performance.now()), accountingTickMs);
    if (this.#options.rampMs > 0) {
      this.#rampTimer = setInterval(() => this.#openDue(), rampTickMs);
    }
    this.#openDue();
  }

  stop(): void {
    this.stopping = true;
    clearInterval(this.#rampTimer);
    clearInterval(this.#tickTimer);
    for (const client of this.#clients) client.stop();
  }

  /** Clients with an open stream now. */
  connectedCount(): number {
    let connected = 0;
    for (const client of this.#clients) if (client.streaming) connected++;
    return connected;
  }

  #openDue(): void {
    const { clients, rampMs, maxPendingConnects } = this.#options;
    const elapsed = performance.now() - this.#startedAtMs;
    const due = rampMs > 0 ? Math.min(clients, Math.ceil((elapsed / rampMs) * clients)) : clients;
    while (!this.stopping && this.#clients.length < due && this.#pending < maxPendingConnects) {
      const client = new LoadClient(this.#clients.length, this);
      this.#clients.push(client);
      this.#pending++;
      client.start();
    }
    if (this.#clients.length >= clients) clearInterval(this.#rampTimer);
  }

  requestFor(
    url: string,
    method: string,
    headers: Record<string, string>,
    body?: Uint8Array,
  ): StreamRequest {
    const key = `${method} ${url}\n${JSON.stringify(headers)}`;
    let request = this.#redirectTargets.get(key);
    if (request === undefined) {
      request = buildStreamRequest(new URL(url), method, headers, body);
      // Bounded: a server redirecting to ever new URLs cannot grow this.
      if (this.#redirectTargets.size >= redirectTargetsKept) this.#redirectTargets.clear();
      this.#redirectTargets.set(key, request);
    }
    return request;
  }

  sourceAddressFor(client: number): string | undefined {
    const addresses = this.#options.sourceAddresses;
    return addresses.length === 0 ? undefined : addresses[client % addresses.length];
  }

  firstAttemptDone(client: number): void {
    this.#pending--;
    if (this.metrics.clientFailures[client] !== 0 && this.metrics.opened === 0) {
      this.#firstAttemptsFailed++;
      if (this.nothingConnected) this.#settle?.();
    }
    this.#openDue();
  }

  clientDone(): void {
    this.#done++;
    if (this.#done === this.#options.clients) this.#settle?.();
  }
}
