/**
 * `--json` output: one object per dispatched event, keys exactly in the order
 * `{"time","event","id","data"}`. JSON escaping makes it terminal-safe (control characters
 * become \u00XX) and lossless (`sse-tool serve` reads it back).
 */
import type { StreamEvent } from "../core/event-stream-decoder.js";

/** Strings JSON can quote as they are: no quote, backslash, control character or surrogate. */
const needsNoEscaping = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** JSON.stringify for a string, skipping the escaping scan for short plain values. */
function quote(value: string): string {
  return value.length < 64 && needsNoEscaping.test(value) ? `"${value}"` : JSON.stringify(value);
}

let lastType = "message";
let lastTypeJson = '"message"';

/**
 * `isoTime` is the receive time as `Date.prototype.toISOString()`. `source` (the stream's URL)
 * is given only when `listen` follows several streams: `{"time","source","event","id","data"}`.
 */
export function formatJsonLine(event: StreamEvent, isoTime: string, source?: string): string {
  // Built by hand, not JSON.stringify({...}): no object per event on the hot path, the key
  // order fixed by construction, and the (usually repeated) event type quoted once.
  if (event.type !== lastType) {
    lastType = event.type;
    lastTypeJson = JSON.stringify(lastType);
  }
  const sourceField = source === undefined ? "" : `"source":${quote(source)},`;
  return `{"time":"${isoTime}",${sourceField}"event":${lastTypeJson},"id":${quote(event.lastEventId)},"data":${JSON.stringify(event.data)}}\n`;
}

/** A comment as a JSON line; only written with `--json --comments`. */
export function formatJsonComment(text: string, isoTime: string, source?: string): string {
  const sourceField = source === undefined ? "" : `"source":${quote(source)},`;
  return `{"time":"${isoTime}",${sourceField}"comment":${JSON.stringify(text)}}\n`;
}
