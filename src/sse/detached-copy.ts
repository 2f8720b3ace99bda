/**
 * A copy of a string that shares no memory with the text it was cut from. The decoder hands out
 * event types, ids and data as slices of the decoded chunk (V8 keeps a slice of 13 characters or
 * more as a pointer into its parent), so keeping a 20-character id kept its whole 64 KiB chunk
 * alive: a long watch that remembers ids or types must keep copies (issue 13: 631 MB at 512 MiB).
 * Pure.
 */

/** V8 copies substrings shorter than this anyway (SlicedString::kMinLength). */
const shortestSlice = 13;

/**
 * `text` as a fresh string. JSON.parse writes a new string by construction, on every engine and
 * version (string concatenation tricks depend on how the engine flattens); measured with a heap
 * test in test/sse/detached-copy.test.ts.
 */
export function detachedCopy(text: string): string {
  // Stryker disable next-line ConditionalExpression: `false` (copy every string) is equivalent, a shortcut only (`true` fails the heap test)
  if (text.length < shortestSlice) return text;
  return JSON.parse(JSON.stringify(text)) as string;
}
