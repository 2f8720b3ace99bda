/** A client's window of sequence ids: shifting it up counts the ids that left it unreceived. */
import { describe, expect, it } from "vitest";
import { shiftWindow } from "../../../src/load/accounting/sequence-window.js";

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
});
