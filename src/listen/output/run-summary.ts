/** The one-line summary written to stderr when `listen` ends. */
import { formatBytes, formatElapsed } from "../../terminal/units.js";

export interface RunTotals {
  /** Events dispatched by the decoder. */
  events: number;
  /** Events written to stdout (after -e filtering). */
  shownEvents: number;
  /** Response body bytes received (after content decoding). */
  bytes: number;
  durationMs: number;
  reconnects: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function formatRunSummary(totals: RunTotals): string {
  const events =
    totals.shownEvents === totals.events
      ? plural(totals.events, "event")
      : `${plural(totals.events, "event")} (${totals.shownEvents} shown)`;
  return `${events}, ${formatBytes(totals.bytes)}, ${formatElapsed(totals.durationMs)}, ${plural(totals.reconnects, "reconnect")}`;
}
