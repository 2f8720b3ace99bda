/**
 * Where lines end in decoded event-stream text (§9.2.5: CR LF, LF or CR). Searched from the
 * end: the decoder cuts each chunk after its last line break.
 */
const LF = 0x0a;
const CR = 0x0d;

/** Where the last line break of `text` is (CR or LF), or -1. */
export function lastLineBreak(text: string): number {
  // Stryker disable next-line ArithmeticOperator: performance only: past the end (NaN) the search below finds the same break
  const last = text.length - 1;
  const code = text.charCodeAt(last);
  // Stryker disable next-line ConditionalExpression: not taking this fast path (false) is performance only; taking it always (true) fails the tests
  if (code === LF || code === CR) return last;
  const lf = text.lastIndexOf("\n");
  // A CR after the last LF is searched for in the short rest only.
  // Stryker disable next-line ConditionalExpression,EqualityOperator,UnaryOperator,StringLiteral,ArithmeticOperator: skipping this fast path (false, lf === -1, lf !== +1, "", lf - 1) is performance only; returning lf before a CR (true, !== -1, === +1) fails the tests
  if (lf !== -1 && text.indexOf("\r", lf + 1) === -1) return lf;
  return Math.max(lf, text.lastIndexOf("\r"));
}

/** After the first line break at or after `from` (a CR LF counted whole), or -1: none. */
export function afterLineBreak(text: string, from: number): number {
  const lf = text.indexOf("\n", from);
  const cr = text.indexOf("\r", from);
  const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(lf, cr);
  if (end === -1) return -1;
  if (text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF) return end + 2;
  return end + 1;
}
