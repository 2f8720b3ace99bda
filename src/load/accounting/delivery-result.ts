/** What delivery accounting tells at the end of a run: how ids were read, and per-client counts. */
import type { DurationHistogram } from "./histogram.js";

/** How the run's events were identified. */
export type IdKind =
  /** No event carried an id: only counts and timings. */
  | "none"
  /** Decimal ids going up by one: gaps are losses. */
  | "sequence"
  /** Decimal ids with gaps between them (timestamps, row ids): compared across clients. */
  | "numeric"
  /** Other ids (UUIDs, ...): compared across clients. */
  | "opaque"
  | "mixed";

export interface DeliveryResult {
  ids: IdKind;
  events: number;
  missing: number;
  duplicates: number;
  outOfOrder: number;
  /** Per client, indexed by client number. */
  clientEvents: Float64Array;
  clientMissing: Float64Array;
  clientDuplicates: Float64Array;
  clientOutOfOrder: Float64Array;
  /** Spread between the first and the last client receiving each id, ms. */
  skew: DurationHistogram;
}
