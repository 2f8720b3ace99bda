/**
 * What a reader keeps of an event's id (HTML §9.2.6 last event ID): a sequence number when it
 * is a canonical decimal, and a key of bounded length to remember it by, copied so that it does
 * not pin the chunk it was sliced from. `load` and `doctor` both count ids by these rules. Pure.
 */
import { detachedCopy } from "./detached-copy.js";

/**
 * The id as a sequence number: a canonical decimal (no sign, no leading zero) up to 15 digits,
 * else -1 ("007", "1e3" and "-1" are ids, not numbers).
 */
export function sequenceNumber(id: string): number {
  const length = id.length;
  if (length === 0 || length > 15) return -1;
  let value = 0;
  for (let at = 0; at < length; at++) {
    const digit = id.charCodeAt(at) - 48;
    if (digit < 0 || digit > 9 || (digit === 0 && at === 0 && length > 1)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Ids longer than this are remembered by a short key: a server cannot make each of thousands of
 * `load` clients keep a 64 KiB id, and a person reading `doctor` sees the id's start.
 */
export const longestKeptId = 64;
/** How much of a long id its key shows. */
const keptPrefix = 16;
/** Marks a key made from a long id; an id holding it is keyed too, so the two never meet. */
const cutMark = "…#";

/**
 * The key an id is remembered by: the id itself, or for a long one its first characters, "…#",
 * a double FNV-1a hash of the whole and ":" its length.
 */
export function eventIdKey(id: string): string {
  if (id.length <= longestKeptId && !id.includes(cutMark)) return detachedCopy(id);
  let low = 0x811c9dc5;
  let high = 0x050c5d1f;
  for (let at = 0; at < id.length; at++) {
    low = Math.imul(low ^ id.charCodeAt(at), 0x01000193) >>> 0;
    high = Math.imul(high ^ (low >>> 24) ^ id.charCodeAt(at), 0x01000193) >>> 0;
  }
  // A template holding a slice still points into the chunk: copy the result.
  return detachedCopy(
    `${id.slice(0, keptPrefix)}${cutMark}${high.toString(36)}${low.toString(36)}:${id.length}`,
  );
}
