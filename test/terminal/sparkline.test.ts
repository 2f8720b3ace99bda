import { describe, expect, it } from "vitest";
import { downsample, histogramLine, sparkline } from "../../src/terminal/sparkline.js";

describe("sparkline", () => {
  it("scales from the lowest to the highest value", () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe("▁▂▃▄▅▆▇█");
  });

  it("shows a flat series in the middle, zeros at the bottom, missing values as spaces", () => {
    expect(sparkline([3, 3, 3])).toBe("▄▄▄");
    expect(sparkline([0, 0])).toBe("▁▁");
    expect(sparkline([0, Number.NaN, 7])).toBe("▁ █");
  });

  it("keeps to the width by averaging neighbours", () => {
    const line = sparkline(
      Array.from({ length: 1000 }, (_, index) => index),
      20,
    );
    expect([...line]).toHaveLength(20);
    expect(line.startsWith("▁")).toBe(true);
    expect(line.endsWith("█")).toBe(true);
  });
});

describe("downsample", () => {
  it("averages runs and skips values that are not numbers", () => {
    expect(downsample([1, 3, Number.NaN, 5], 2)).toEqual([2, 5]);
    expect(downsample([1, 2], 5)).toEqual([1, 2]);
  });
});

describe("histogramLine", () => {
  it("bins the values and names the range", () => {
    expect(histogramLine([1, 1, 1, 2, 4], (value) => `${value} ms`, 4)).toBe("█▃▁▃ 1 ms … 4 ms");
  });

  it("is empty without values", () => {
    expect(histogramLine([], String)).toBe("");
  });
});
