/** A client's window of sequence ids: shifting it up counts the ids that left it unreceived. */
import { describe, expect, it } from "vitest";
import { advanceWindowByOne, shiftWindow } from "../../../src/load/accounting/sequence-window.js";

describe("shiftWindow", () => {
  it("shiftWindow counts the ids that leave the window without having arrived", () => {
    for (const step of [1, 5, 31, 32, 33, 64, 100, 255, 256, 300]) {
      const window = new Uint32Array(8).fill(0xffffffff);
      // Bits 250..255 absent: they leave the window for every step >= 6.
      window[7] = 0x03ffffff;
      const out = shiftWindow(window, 0, step);
      const absentLeaving = Math.min(6, step);
      expect({ step, out }).toEqual({
        step,
        out: absentLeaving + Math.max(0, step - 256) + (step >= 256 ? step - step : 0),
      });
      // Bit k is now bit k + step: the new low bits are absent.
      let present = 0;
      for (const word of window) present += word.toString(2).split("1").length - 1;
      expect(present).toBe(Math.max(0, 256 - step - Math.max(0, 6 - step)));
    }
  });

  it("advanceWindowByOne is shiftWindow by one with the new id marked, on any window", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed;
    };
    for (let run = 0; run < 200; run++) {
      // Two clients' windows side by side: the shift must stay inside its own 8 words.
      const words = Uint32Array.from({ length: 16 }, (_, i) =>
        i % 3 === 0 ? 0xffffffff : random(),
      );
      const expected = Uint32Array.from(words);
      const expectedOut = shiftWindow(expected, 8, 1);
      expected[8]! |= 1;
      const out = advanceWindowByOne(words, 8);
      expect(out).toBe(expectedOut);
      expect([...words]).toEqual([...expected]);
    }
  });
});
