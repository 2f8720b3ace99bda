/**
 * An event-stream body's bytes as text (HTML §9.2.5): UTF-8 whatever the Content-Type says,
 * one leading BOM stripped, each invalid sequence replaced by one U+FFFD. Pure.
 *
 * One step serves both kinds of reader: `load` keeps thousands of streams on one shared decoder,
 * each stream's state a small number (the bytes of a character cut by the end of a read, at most
 * three, and whether the first character is still to come), since a streaming TextDecoder per
 * stream costs a native converter each; `listen` and `doctor` read one body through `Utf8Body`,
 * which also counts the invalid sequences. A cut character is held back only while it is still
 * a valid beginning, exactly when a streaming decoder would hold it, so the text is the same.
 */

/** The state of a stream that has not received any text yet. */
export const utf8BodyStart = 1;

const atStartFlag = 1;
const pendingShift = 1;
const pendingCountShift = 25;

/** How many bytes of a cut character a stream's state holds (0 to 3). */
function pendingCount(state: number): number {
  return state >>> pendingCountShift;
}

/** The `at`th held byte of a stream's state. */
function pendingByte(state: number, at: number): number {
  return (state >>> (pendingShift + 8 * at)) & 0xff;
}

/** How many bytes a character starting with `lead` has, or 0 when `lead` cannot start one. */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Whether `second` may follow `lead` (the WHATWG decoder's narrowed ranges after E0, ED, F0, F4). */
function validSecond(lead: number, second: number): boolean {
  if (lead === 0xe0) return second >= 0xa0 && second <= 0xbf;
  if (lead === 0xed) return second >= 0x80 && second <= 0x9f;
  if (lead === 0xf0) return second >= 0x90 && second <= 0xbf;
  if (lead === 0xf4) return second >= 0x80 && second <= 0x8f;
  return second >= 0x80 && second <= 0xbf;
}

/**
 * How many bytes at the end of `bytes[start, end)` are the valid beginning of a character that
 * the next read completes (0 to 3).
 */
function incompleteTail(bytes: Uint8Array, start: number, end: number): number {
  for (let back = 1; back <= 3 && end - back >= start; back++) {
    const byte = bytes[end - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    const length = sequenceLength(byte);
    if (length <= back) return 0;
    if (back >= 2 && !validSecond(byte, bytes[end - back + 1]!)) return 0;
    return back;
  }
  return 0;
}

/** One decoder for many streams, each stream keeping only its state number. */
export class SharedUtf8Decoder {
  readonly #decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  /** The stream's state after the last `decode` call; store it with the stream. */
  state = utf8BodyStart;

  /**
   * Decodes `bytes[start, end)` of a stream whose state is `state` (`utf8BodyStart` for a new
   * body); afterwards `this.state` holds the stream's new state.
   */
  decode(state: number, bytes: Uint8Array, start: number, end: number): string {
    const held = pendingCount(state);
    let input: Uint8Array;
    if (held === 0) {
      input = bytes.subarray(start, end);
    } else {
      input = new Uint8Array(held + end - start);
      for (let at = 0; at < held; at++) input[at] = pendingByte(state, at);
      input.set(bytes.subarray(start, end), held);
    }
    const tail = incompleteTail(input, 0, input.length);
    let atStart = (state & atStartFlag) !== 0;
    let text = this.#decoder.decode(tail === 0 ? input : input.subarray(0, input.length - tail));
    // A read holding only part of the BOM decodes to "": keep waiting for the first character.
    if (atStart && text.length > 0) {
      atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let next = atStart ? atStartFlag : 0;
    for (let at = 0; at < tail; at++) {
      next |= input[input.length - tail + at]! << (pendingShift + 8 * at);
    }
    this.state = (next | (tail << pendingCountShift)) >>> 0;
    return text;
  }
}

/** One body read in order, telling how many invalid sequences each read held. */
export class Utf8Body {
  readonly #decoder = new SharedUtf8Decoder();
  /** Invalid sequences in the bytes of the last `decode` call. */
  invalidSequences = 0;

  /** The text of the next bytes of the body (a character cut at their end waits for the rest). */
  decode(bytes: Uint8Array): string {
    const before = this.#decoder.state;
    const text = this.#decoder.decode(before, bytes, 0, bytes.length);
    // A text without U+FFFD (the usual case) had no invalid byte.
    // Stryker disable next-line ConditionalExpression,StringLiteral: performance only
    this.invalidSequences = text.includes("\uFFFD")
      ? invalidIn(text, before, this.#decoder.state, bytes)
      : 0;
    return text;
  }
}

/**
 * The U+FFFDs of `text` that were not sent as EF BF BD. The bytes decoded are those held from
 * before, then `bytes`, less the cut character held now: a held EF BF meets its BD here.
 */
function invalidIn(text: string, before: number, after: number, bytes: Uint8Array): number {
  let replacements = 0;
  for (let i = text.indexOf("\uFFFD"); i !== -1; i = text.indexOf("\uFFFD", i + 1)) {
    replacements++;
  }
  const held = pendingCount(before);
  const at = (i: number) => (i < held ? pendingByte(before, i) : bytes[i - held]!);
  const decoded = held + bytes.length - pendingCount(after);
  let sent = 0;
  for (let i = 0; i + 2 < decoded; i++) {
    if (at(i) === 0xef && at(i + 1) === 0xbf && at(i + 2) === 0xbd) sent++;
  }
  return Math.max(0, replacements - sent);
}
