/**
 * A copy of a string that shares no memory with the text it was cut from. The decoder hands out
 * event types, ids and data as slices of the decoded chunk (V8 keeps a longer slice as a pointer
 * into its parent), so a short id kept would keep its whole chunk alive: a long watch that
 * remembers ids or types must keep copies. Pure.
 */

/** V8 copies substrings shorter than this anyway (SlicedString::kMinLength). */
const shortestSlice = 13;

/**
 * `text` as a fresh string. JSON.parse writes a new string by construction, on every engine and
 * version (string concatenation tricks depend on how the engine flattens); a heap test in
 * test/sse/detached-copy.test.ts checks it.
 */
export function detachedCopy(text: string): string {
  // Stryker disable next-line ConditionalExpression: a shortcut only
  if (text.length < shortestSlice) return text;
  return JSON.parse(JSON.stringify(text)) as string;
}
