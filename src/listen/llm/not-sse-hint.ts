/**
 * What to tell the user when an LLM API answered with something other than an event stream
 * because of how it was asked. Pure.
 *
 * Google Gemini's `:streamGenerateContent` streams a JSON array (`[{"candidates":…},\r\n…]`,
 * `Content-Type: application/json`) unless the URL asks for SSE with `?alt=sse`; shown as a bare
 * Content-Type failure that is a puzzle, so listen names the parameter instead.
 */

/** Markers of a Gemini GenerateContentResponse near the start of the body. */
const geminiMarkers = ['"candidates"', '"promptFeedback"', '"usageMetadata"'];

/** A one-line hint (plain ASCII, safe to print), or undefined when nothing fits. */
export function llmNotSseHint(url: string, bodyStart: string): string | undefined {
  const body = bodyStart.trimStart();
  const geminiBody = body.startsWith("[") && geminiMarkers.some((marker) => body.includes(marker));
  let geminiUrl = false;
  try {
    const parsed = new URL(url);
    geminiUrl =
      parsed.pathname.endsWith(":streamGenerateContent") &&
      parsed.searchParams.get("alt") !== "sse";
  } catch {
    // Not a URL we can read: the body alone decides.
  }
  if (!geminiBody && !geminiUrl) return undefined;
  return (
    "this is Gemini's streamed JSON array, not an event stream; add alt=sse to the URL's query " +
    "(…:streamGenerateContent?alt=sse) for SSE"
  );
}
