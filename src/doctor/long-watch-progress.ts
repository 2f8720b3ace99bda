/**
 * What doctor says on stderr while it watches: on a terminal, the live line every second; in a
 * log, a line every so often, and only for a watch long enough to wonder whether it hangs (an
 * idle-cut watch of minutes).
 */
import type { WatchProgress } from "./body-watch.js";

/** A watch at least this long reports its progress in a log too ... */
export const longWatchMs = 30_000;
/** ... this often. */
export const logProgressEveryMs = 15_000;

function describeProgress(progress: WatchProgress, durationMs: number): string {
  const s = (ms: number) => `${Math.floor(ms / 1000)} s`;
  const events = `${progress.events} event${progress.events === 1 ? "" : "s"}`;
  return `watched ${s(progress.watchedMs)} of ${s(durationMs)}: ${events}, quiet for ${s(progress.quietMs)}`;
}

/**
 * The progress callback for a watch of `durationMs`: `live` redraws the terminal's line,
 * `say` writes a line to a log; undefined when there is nothing to say.
 */
export function longWatchProgress(
  durationMs: number,
  live: ((stage: string) => void) | undefined,
  say: (line: string) => void,
): ((progress: WatchProgress) => void) | undefined {
  if (live) return (progress) => live(describeProgress(progress, durationMs));
  if (durationMs < longWatchMs) return undefined;
  let nextMs = logProgressEveryMs;
  return (progress) => {
    if (progress.watchedMs < nextMs) return;
    nextMs += logProgressEveryMs;
    say(`sse-tool doctor: ${describeProgress(progress, durationMs)}`);
  };
}
