/**
 * How deeply an event's JSON data nests, found without parsing it. Pure. `JSON.stringify` (and
 * any recursive walk) overflows the stack on a value nested a few thousand levels deep on some
 * engines and not on others (Node 26's does not), which a 12 KB body can hold; anything that
 * re-serialises a value from a client, a file or a server checks its text first, so that the
 * outcome is the same on every Node.js line. One pass, no recursion, no allocation.
 */

/** Deeper than any event a person means to send; far below where the stack would overflow. */
export const maxJsonDepth = 256;

/** Whether `text` opens more than `limit` arrays/objects at once (brackets in strings ignored). */
export function jsonNestsDeeperThan(text: string, limit = maxJsonDepth): boolean {
  // Nesting deeper than `limit` needs more than `limit` characters.
  if (text.length <= limit) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c)
        i++; // a backslash escapes the next character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      if (++depth > limit) return true;
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return false;
}

/** `text` parsed as JSON when it nests no deeper than `maxJsonDepth`, or what is wrong with it. */
export function parseBoundedJson(text: string): { value: unknown } | { problem: string } {
  if (jsonNestsDeeperThan(text)) return { problem: `nested deeper than ${maxJsonDepth} levels` };
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { problem: `not JSON: ${(error as Error).message}` };
  }
}
