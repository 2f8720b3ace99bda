/**
 * Splits a byte source (stdin or a file) into numbered text lines for `serve`.
 *
 * Lines end at LF; a CR before it is dropped, so CRLF files read like LF files. Each line is
 * decoded as UTF-8 on its own; invalid bytes become U+FFFD and the line carries a warning.
 * A line longer than `maxLineBytes` is never held whole in memory: its bytes are discarded up
 * to the next LF and it is reported as skipped, so a 50 MB line costs at most the bound.
 * Lines are yielded in batches (one per chunk read), and the next chunk is read only when the
 * consumer asks for it: that pull is how back-pressure reaches the source.
 */
import { isUtf8 } from "node:buffer";

export interface SourceLine {
  /** 1-based line number in this pass over the source. */
  line: number;
  /** The line without its line break ("" for a skipped line). */
  text: string;
  /** Something the user should hear about (the line is still used unless `skipped`). */
  warning?: string;
  /** The line could not be used at all (over the length bound). */
  skipped?: boolean;
}

const LF = 0x0a;
const CR = 0x0d;

export async function* readLineBatches(
  source: AsyncIterable<Buffer | string>,
  maxLineBytes: number,
): AsyncGenerator<SourceLine[]> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  /** Inside an over-long line: drop bytes until the next LF. */
  let overflowing = false;
  let lineNumber = 0;

  const finishLine = (bytes: Buffer): SourceLine => {
    lineNumber++;
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === CR) end--;
    let start = 0;
    // One UTF-8 BOM at the very start of the source is not data.
    if (lineNumber === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
    const view = bytes.subarray(start, end);
    const text = view.toString("utf8");
    const result: SourceLine = { line: lineNumber, text };
    if (text.includes("\uFFFD") && !isUtf8(view)) {
      result.warning = "invalid UTF-8, replaced with U+FFFD";
    }
    return result;
  };

  const overLong = (): SourceLine => {
    lineNumber++;
    return {
      line: lineNumber,
      text: "",
      skipped: true,
      warning: `line longer than ${maxLineBytes} bytes, skipped`,
    };
  };

  for await (const piece of source) {
    const chunk = typeof piece === "string" ? Buffer.from(piece) : piece;
    const batch: SourceLine[] = [];
    let start = 0;
    while (start < chunk.length) {
      const lf = chunk.indexOf(LF, start);
      const end = lf === -1 ? chunk.length : lf;
      if (overflowing) {
        if (lf !== -1) {
          overflowing = false;
          batch.push(overLong());
        }
      } else if (pendingBytes + (end - start) > maxLineBytes) {
        pending = [];
        pendingBytes = 0;
        if (lf === -1) overflowing = true;
        else batch.push(overLong());
      } else if (lf === -1) {
        pending.push(chunk.subarray(start));
        pendingBytes += chunk.length - start;
      } else {
        const piece = chunk.subarray(start, end);
        const bytes =
          pending.length === 0
            ? piece
            : Buffer.concat([...pending, piece], pendingBytes + piece.length);
        pending = [];
        pendingBytes = 0;
        batch.push(finishLine(bytes));
      }
      if (lf === -1) break;
      start = lf + 1;
    }
    if (batch.length > 0) yield batch;
  }
  if (overflowing) yield [overLong()];
  else if (pendingBytes > 0) yield [finishLine(Buffer.concat(pending, pendingBytes))];
}
