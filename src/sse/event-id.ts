/**
 * What `load` reads from an event's id: a sequence number when it is a canonical decimal, the
 * key it is remembered by (bounded for long ids), and a fingerprint of the event to tell a
 * repeated event from a new one when it carries no id of its own. Pure.
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

/** A cheap fingerprint of an event, to tell a repeated event from a new one without an id. */
export function eventFingerprint(type: string, data: string): number {
  const length = data.length;
  return (
    (length * 65599 +
      (length === 0 ? 0 : data.charCodeAt(0) * 257 + data.charCodeAt(length - 1)) +
      type.length * 7919) |
    0
  );
}

/** Ids longer than this are kept as their length and a hash: a server cannot make each client keep a 64 KiB id. */
const longIdLength = 64;

/**
 * The key an id is remembered by: the id itself (detached from the chunk it was sliced from),
 * or for a long id its length and a 52-bit FNV-1a hash, prefixed by NUL (which no id holds).
 */
export function idKey(id: string): string {
  if (id.length <= longIdLength) return detachedCopy(id);
  let low = 0x811c9dc5;
  let high = 0x050c5d1f;
  for (let at = 0; at < id.length; at++) {
    low = Math.imul(low ^ id.charCodeAt(at), 0x01000193) >>> 0;
    high = Math.imul(high ^ (low >>> 24) ^ id.charCodeAt(at), 0x01000193) >>> 0;
  }
  return `\u0000${id.length}:${high.toString(36)}${low.toString(36)}`;
}
