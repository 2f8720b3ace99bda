/**
 * `--json` output: one object per dispatched event, keys exactly in the order
 * `{"time","event","id","data"}`. JSON escaping makes it terminal-safe (control characters
 * become \u00XX) and lossless (`sse-tool serve` reads it back).
 */
import type { StreamEvent } from "../../sse/decoder.js";
import { jsonNestsDeeperThan } from "../../sse/json-depth.js";

/** JSON.stringify for a string, skipping the escaping scan for short plain values. */
function quote(value: string): string {
  // Stryker disable next-line ConditionalExpression: `false` (always JSON.stringify) gives the same bytes: the fast path only saves time
  return quotesAsIs(value) ? `"${value}"` : JSON.stringify(value);
}

/**
 * Whether JSON.stringify would quote `value` as it is (no quote, backslash, control character
 * or surrogate) and it is short (under 64 code units), so checking it here costs less than
 * JSON.stringify's own scan. Lone surrogates need escaping; pairs do not, but are rare in ids.
 */
export function quotesAsIs(value: string): boolean {
  if (value.length >= 64) return false;
  // A loop, not a regular expression: for short values (ids) calling the regex engine costs more.
  // Stryker disable next-line EqualityOperator: `<=` reads one past the end, NaN, which the test below does not take
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) {
      return false;
    }
  }
  return true;
}

/**
 * `{"time":…,"event":…,"id":` for the last time, source and type seen (they repeat). Unset
 * until the first call, which always builds it (`lastTime` undefined matches no time).
 */
let lastTime: string | undefined;
let lastSource: string | undefined;
let lastType: string | undefined;
let lastPrefix: string;

/**
 * `isoTime` is the receive time as `Date.prototype.toISOString()`. `source` (the stream's URL)
 * is given only when `listen` follows several streams: `{"time","source","event","id","data"}`.
 * `parseData` (--json-data): data that is a JSON object or array goes in as that value, so
 * `jq .data.field` works; any other data stays a string.
 */
export function formatJsonLine(
  event: StreamEvent,
  isoTime: string,
  source?: string,
  parseData = false,
): string {
  // Built by hand, not JSON.stringify({...}): no object per event on the hot path, the key
  // order fixed by construction, and the part before the id (time, source, type: the same for
  // every event of a network chunk, usually) built once.
  // Stryker disable next-line ConditionalExpression: `true` (build it for every event) gives the same line: the cache only saves time
  if (isoTime !== lastTime || source !== lastSource || event.type !== lastType) {
    lastTime = isoTime;
    lastSource = source;
    lastType = event.type;
    const sourceField = source === undefined ? "" : `"source":${quote(source)},`;
    const time = isoTime === "" ? "null" : `"${isoTime}"`;
    lastPrefix = `{"time":${time},${sourceField}"event":${JSON.stringify(lastType)},"id":`;
  }
  const data = (parseData && jsonContainerText(event.data)) || JSON.stringify(event.data);
  return `${lastPrefix}${quote(event.lastEventId)},"data":${data}}\n`;
}

/**
 * The data as compact JSON when it is a JSON object or array, else undefined. Nesting deeper
 * than `maxJsonDepth` (a hostile stream) leaves it a string, on every engine.
 */
function jsonContainerText(data: string): string | undefined {
  const first = data.trimStart().charCodeAt(0);
  if (first !== 0x7b && first !== 0x5b) return undefined;
  // Deeper than serve accepts (and jq 1.6 reads): a string, whatever this engine could take.
  if (jsonNestsDeeperThan(data)) return undefined;
  try {
    return JSON.stringify(JSON.parse(data));
  } catch {
    // Not JSON: the data stays a string.
  }
  return undefined;
}

/** A comment as a JSON line; only written with `--json --comments`. */
export function formatJsonComment(text: string, isoTime: string, source?: string): string {
  const sourceField = source === undefined ? "" : `"source":${quote(source)},`;
  const time = isoTime === "" ? "null" : `"${isoTime}"`;
  return `{"time":${time},${sourceField}"comment":${JSON.stringify(text)}}\n`;
}
