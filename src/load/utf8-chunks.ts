/**
 * Body bytes to text for thousands of streams with one shared decoder. Pure.
 *
 * A streaming `TextDecoder` per client costs about 1 KB of native memory each (an ICU
 * converter); here each stream keeps a small number instead: the bytes of a character cut by
 * the end of a read (at most three) and whether the body's first character is still to come.
 * The result is the same text a streaming decoder gives (HTML §9.2.5: UTF-8 always, invalid
 * bytes become U+FFFD, one leading BOM is stripped): a cut character is held back only while
 * it is still a valid beginning, exactly when a streaming decoder would hold it.
 */

/** The state of a stream that has not received any text yet. */
export const utf8BodyStart = 1;

const atStartFlag = 1;
const pendingShift = 1;
const pendingCountShift = 25;

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

export class SharedUtf8Decoder {
  readonly #decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  /** The stream's state after the last `decode` call; store it with the stream. */
  state = utf8BodyStart;

  /**
   * Decodes `bytes[start, end)` of a stream whose state is `state` (`utf8BodyStart` for a new
   * body); afterwards `this.state` holds the stream's new state.
   */
  decode(state: number, bytes: Uint8Array, start: number, end: number): string {
    const pendingCount = state >>> pendingCountShift;
    let input: Uint8Array;
    if (pendingCount === 0) {
      input = bytes.subarray(start, end);
    } else {
      input = new Uint8Array(pendingCount + end - start);
      for (let at = 0; at < pendingCount; at++) {
        input[at] = (state >>> (pendingShift + 8 * at)) & 0xff;
      }
      input.set(bytes.subarray(start, end), pendingCount);
    }
    const tail = incompleteTail(input, 0, input.length);
    let atStart = (state & atStartFlag) !== 0;
    let text = this.#decoder.decode(tail === 0 ? input : input.subarray(0, input.length - tail));
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
