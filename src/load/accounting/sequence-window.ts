/**
 * Each client's window of the sequence ids just below its highest, one bit each, packed for
 * every client into one Uint32Array (`windowWords` words per client from `base`): bit k set
 * means id (highest - k) arrived, or lies below the client's first id. Pure.
 */
import { popcount } from "./popcount.js";

/** Ids in each client's sequence window. */
export const windowBits = 256;
export const windowWords = windowBits / 32;

/** Ids inside a window that never arrived. */
export function windowHoles(window: Uint32Array, base: number): number {
  let present = 0;
  for (let word = 0; word < windowWords; word++) present += popcount(window[base + word]!);
  return windowBits - present;
}

/**
 * shiftWindow by one id with that id marked arrived, the step almost every event takes: one
 * carry through the words, no counting loop. Returns 1 when the id leaving never arrived.
 */
export function advanceWindowByOne(window: Uint32Array, base: number): number {
  const top = base + windowWords - 1;
  const left = window[top]! >>> 31 === 0 ? 1 : 0;
  for (let word = top; word > base; word--) {
    window[word] = ((window[word]! << 1) | (window[word - 1]! >>> 31)) >>> 0;
  }
  window[base] = ((window[base]! << 1) | 1) >>> 0;
  return left;
}

/**
 * Moves a window up by `step` ids (bit k becomes bit k + step) and returns how many ids fell out
 * of it without having arrived: absent bits shifted out, and ids skipped past the window.
 */
export function shiftWindow(window: Uint32Array, base: number, step: number): number {
  if (step >= windowBits) {
    const holes = windowHoles(window, base);
    window.fill(0, base, base + windowWords);
    return holes + (step - windowBits);
  }
  // Present ids among the bits that leave: k >= windowBits - step.
  const from = windowBits - step;
  let present = 0;
  for (let word = from >>> 5; word < windowWords; word++) {
    let bits = window[base + word]!;
    if (word === from >>> 5) bits &= ~0 << (from & 31);
    present += popcount(bits >>> 0);
  }
  const wordShift = step >>> 5;
  const bitShift = step & 31;
  for (let word = windowWords - 1; word >= 0; word--) {
    const source = word - wordShift;
    const high = source >= 0 ? window[base + source]! : 0;
    const low = source - 1 >= 0 ? window[base + source - 1]! : 0;
    window[base + word] =
      bitShift === 0 ? high : ((high << bitShift) | (low >>> (32 - bitShift))) >>> 0;
  }
  return step - present;
}
