/** The one-line summary written to stderr when `listen` ends. */
import { formatBytes, formatElapsed } from "../../terminal/units.js";

export interface RunTotals {
  /** Events dispatched by the decoder. */
  events: number;
  /** Events written to stdout (after -e filtering). */
  shownEvents: number;
  /** Response body bytes received (after content decoding). */
  bytes: number;
  /** Undefined when the input holds no times (a raw capture file). */
  durationMs: number | undefined;
  reconnects: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function formatRunSummary(totals: RunTotals): string {
  const events =
    totals.shownEvents === totals.events
      ? plural(totals.events, "event")
      : `${plural(totals.events, "event")} (${totals.shownEvents} shown)`;
  const duration = totals.durationMs === undefined ? "" : `${formatElapsed(totals.durationMs)}, `;
  return `${events}, ${formatBytes(totals.bytes)}, ${duration}${plural(totals.reconnects, "reconnect")}`;
}
