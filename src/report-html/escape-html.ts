/**
 * The two escapers of a report page. Everything a server chose (ids, event names, header
 * values, URLs) goes through one of them: `escapeHtml` for text and attributes, `jsonForScript`
 * for data carried inside a `<script type="application/json">`. Pure.
 */

const htmlEntities: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text safe between tags and inside a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => htmlEntities[character]!);
}

/**
 * JSON that cannot end or change its `<script>` element: `<` becomes \u003c (so neither
 * `</script>` nor `<!--` appears), and the line separators JavaScript once rejected are escaped
 * too. JSON.parse reads it back to the same value.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
