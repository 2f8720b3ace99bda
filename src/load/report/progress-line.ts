/**
 * The live line `load` redraws on a terminal (stderr) about four times a second. Pure.
 */

export interface ProgressSnapshot {
  elapsedMs: number;
  connected: number;
  clients: number;
  eventsPerSecond: number;
  reconnects: number;
  /** Failed connection attempts so far. */
  errors: number;
  /** Share of the last second the generator's event loop was busy (0-1). */
  busy: number;
}

const count = (value: number) => Math.round(value).toLocaleString("en-US");

export function formatProgressLine(snapshot: ProgressSnapshot): string {
  const parts = [
    `load ${(snapshot.elapsedMs / 1000).toFixed(1)} s`,
    `connected ${count(snapshot.connected)}/${count(snapshot.clients)}`,
    `${count(snapshot.eventsPerSecond)} events/s`,
    `${count(snapshot.reconnects)} reconnects`,
    `${count(snapshot.errors)} errors`,
  ];
  // Said only when it matters: a busy generator distorts what it measures.
  if (snapshot.busy >= 0.9) parts.push(`generator busy ${Math.round(snapshot.busy * 100)}%`);
  return parts.join(" · ");
}
