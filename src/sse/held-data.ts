/**
 * The data buffer of the block eventsource-parser holds, measured without asking the parser
 * (it does not say): the decoder hands it the whole lines it fed, and it counts the `data`
 * lines after their last blank line, which is all the parser still holds. Usually that last
 * blank line is a few characters from the end, so little is read twice.
 */
const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;

export class HeldData {
  /** Data lines of the held block. */
  lines = 0;
  /** Code units of its data buffer: the values joined by LF. */
  length = 0;

  clear(): void {
    this.lines = 0;
    this.length = 0;
  }

  /**
   * `lines` (whole lines) were fed to the parser. `lfEndsCrlf`: its first character is the LF
   * of a CRLF begun before it.
   */
  count(lines: string, lfEndsCrlf: boolean): void {
    let from = lastBlockStart(lines, lfEndsCrlf);
    if (from === -1) from = 0;
    else this.clear();
    const length = lines.length;
    // The next LF and CR at or after `from` (`length`: none), searched again only once passed:
    // searching for both at every line would read the rest of a long block again each time.
    let nextLf = -1;
    let nextCr = -1;
    // Stryker disable next-line EqualityOperator: one more pass at from === length (<=) reads an empty line, no data; none (>=) fails the tests
    while (from < length) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: performance only when searching more often (true, <=); never searching (false, >=) fails the tests
      if (nextLf < from) nextLf = indexOrLength(lines, "\n", from);
      // Stryker disable next-line ConditionalExpression,EqualityOperator: performance only when searching more often (true, <=); never searching (false, >=) fails the tests
      if (nextCr < from) nextCr = indexOrLength(lines, "\r", from);
      const end = Math.min(nextLf, nextCr);
      // §9.2.6: a `data` field is the name "data" followed by a colon or by the line's end.
      if (
        lines.startsWith("data", from) &&
        (from + 4 === end || lines.charCodeAt(from + 4) === COLON)
      ) {
        let valueStart = Math.min(from + 5, end);
        // The value starts after one space (`valueStart` is at most `end`, a line break).
        if (lines.charCodeAt(valueStart) === SPACE) valueStart++;
        this.length += (this.lines > 0 ? 1 : 0) + (end - valueStart);
        this.lines++;
      }
      from = end + 1;
    }
  }
}

/**
 * Where the last block of `lines` (whole lines) starts: after its last blank line, an empty
 * line whose break (CR, LF or CR LF) comes right after another break. `lines.length` when it
 * ends with a blank line, -1 when it holds none. Searched from the end: usually a few characters
 * back. `lfEndsCrlf`: its first character is the LF of a CRLF begun before it.
 */
export function lastBlockStart(lines: string, lfEndsCrlf: boolean): number {
  // Stryker disable next-line MethodExpression,ArithmeticOperator: performance only: a nearer start only searches the whole of `lines` by the loop below
  const nearStart = Math.max(0, lines.length - 256);
  // Stryker disable next-line ArithmeticOperator: starting past the end only reads NaN first (no line break)
  for (let i = lines.length - 1; i >= nearStart; i--) {
    const code = lines.charCodeAt(i);
    if (code !== LF && code !== CR) continue;
    // The break ending at i starts at `at` (the CR of a CR LF; charCodeAt(-1) is NaN).
    const at = code === LF && lines.charCodeAt(i - 1) === CR ? i - 1 : i;
    if (at === 0) {
      // The first line: empty, unless this LF only ends a CRLF begun before `lines` (only then
      // is `lfEndsCrlf` true: `lines` starts with that LF).
      return lfEndsCrlf ? -1 : i + 1;
    }
    const before = lines.charCodeAt(at - 1);
    // Stryker disable next-line ArithmeticOperator: starting the block at the blank line's breaks instead (i - 1) counts the same: empty lines
    if (before === LF || before === CR) return i + 1;
    i = at;
  }
  // Stryker disable next-line ConditionalExpression: false is performance only (the loop searched all of `lines`, the search below finds nothing more); true fails the tests
  if (nearStart === 0) return -1;
  // Further back (a block longer than a few lines): every blank line holds one of these pairs.
  // Stryker disable next-line ArithmeticOperator: a pair up to nearStart + 2 would be a blank line the loop already found
  const before = nearStart - 2;
  const pair = Math.max(
    lines.lastIndexOf("\n\n", before),
    lines.lastIndexOf("\r\r", before),
    lines.lastIndexOf("\n\r", before),
  );
  if (pair !== -1) return pair + 2;
  const first = lines.charCodeAt(0);
  return (first === LF && !lfEndsCrlf) || first === CR ? 1 : -1;
}

/** Where `search` is in `text` at or after `from`, or `text.length`. */
function indexOrLength(text: string, search: string, from: number): number {
  const index = text.indexOf(search, from);
  return index === -1 ? text.length : index;
}
