/**
 * A copy of a string that is kept while the text it was sliced from is not. V8 slices of 13 or
 * more characters share their parent's memory: an id or a header kept per connection must not
 * pin the whole read it came from. Pure.
 */
export function copyOf(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}
