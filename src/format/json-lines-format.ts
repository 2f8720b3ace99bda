/**
 * `--json` output: one object per dispatched event, keys exactly in the order
 * `{"time","event","id","data"}`. JSON escaping makes it terminal-safe (control characters
 * become \u00XX) and lossless (`sse-tool serve` reads it back).
 */
import type { StreamEvent } from "../core/event-stream-decoder.js";

/** `isoTime` is the receive time as `Date.prototype.toISOString()`. */
export function formatJsonLine(event: StreamEvent, isoTime: string): string {
  // Built by hand, not JSON.stringify({...}): one less object per event on the hot path, and
  // the key order is fixed by construction. `isoTime` never needs escaping.
  return `{"time":"${isoTime}","event":${JSON.stringify(event.type)},"id":${JSON.stringify(event.lastEventId)},"data":${JSON.stringify(event.data)}}\n`;
}

/** A comment as a JSON line; only written with `--json --comments`. */
export function formatJsonComment(text: string, isoTime: string): string {
  return `{"time":"${isoTime}","comment":${JSON.stringify(text)}}\n`;
}
