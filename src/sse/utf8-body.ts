/**
 * An event-stream body's bytes as text (HTML §9.2.5): decoded as UTF-8 whatever the
 * Content-Type says, one leading BOM stripped, each invalid sequence replaced by one U+FFFD and
 * counted, so a decode problem can be told (a U+FFFD the server sent as the bytes EF BF BD is
 * data, not a problem, also when those bytes are split across chunks). Pure.
 */
export class Utf8Body {
  // The BOM is stripped here, not by TextDecoder: Node 24's streaming TextDecoder strips a second
  // BOM when the first one is split across chunks (a second U+FEFF is data, §9.2.5).
  readonly #utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
  /** No text decoded yet: a leading U+FEFF is still to be stripped. */
  #atStart = true;
  /** The last two bytes before this chunk (-1: none), to tell a U+FFFD sent split in two. */
  // Stryker disable next-line UnaryOperator: any value that is no byte 0xEF or 0xBF matches nothing (+1 as -1)
  #beforeLastByte = -1;
  // Stryker disable next-line UnaryOperator: any value that is no byte 0xEF or 0xBF matches nothing (+1 as -1)
  #lastByte = -1;
  /** Invalid sequences in the bytes of the last `decode` call. */
  invalidSequences = 0;

  /** The text of the next bytes of the body (a character cut at their end waits for the rest). */
  decode(bytes: Uint8Array): string {
    let text = this.#utf8.decode(bytes, { stream: true });
    // A text without U+FFFD (the usual case; a one-byte string cannot even hold one) had no
    // invalid byte. Otherwise the replacements are the U+FFFDs that were not sent as such.
    // Stryker disable next-line ConditionalExpression,StringLiteral: counting always is performance only (no U+FFFD: none counted); never counting (false) fails the tests
    this.invalidSequences = text.includes("\uFFFD") ? this.#countInvalid(text, bytes) : 0;
    this.#keepLastBytes(bytes);
    // A chunk holding only part of the BOM decodes to "": keep waiting for the first character.
    if (this.#atStart && text.length > 0) {
      this.#atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  }

  /** The U+FFFDs of `text` that were not EF BF BD in `bytes` (with the two bytes before). */
  #countInvalid(text: string, bytes: Uint8Array): number {
    let replacements = 0;
    for (let i = text.indexOf("\uFFFD"); i !== -1; i = text.indexOf("\uFFFD", i + 1)) {
      replacements++;
    }
    // The bytes with the two before them in front (-1 matches no byte).
    const before = this.#beforeLastByte;
    const last = this.#lastByte;
    const at = (i: number) => (i === 0 ? before : i === 1 ? last : bytes[i - 2]!);
    const total = bytes.length + 2;
    let sent = 0;
    // Stryker disable next-line EqualityOperator,ArithmeticOperator: windows past the end read undefined and match nothing (<=, i - 2); reading none (>=) fails the tests
    for (let i = 0; i + 2 < total; i++) {
      if (at(i) === 0xef && at(i + 1) === 0xbf && at(i + 2) === 0xbd) sent++;
    }
    return Math.max(0, replacements - sent);
  }

  #keepLastBytes(bytes: Uint8Array): void {
    const length = bytes.length;
    if (length >= 2) {
      this.#beforeLastByte = bytes[length - 2]!;
      this.#lastByte = bytes[length - 1]!;
    } else if (length === 1) {
      this.#beforeLastByte = this.#lastByte;
      this.#lastByte = bytes[0]!;
    }
  }
}
