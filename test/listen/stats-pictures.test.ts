import { describe, expect, it } from "vitest";
import { StatsPictures } from "../../src/listen/stats-pictures.js";

describe("StatsPictures", () => {
  it("draws events per whole second and the gaps between events", () => {
    const pictures = new StatsPictures(0);
    // 1 event in second 0, 4 in second 1, 8 in second 2.
    for (const atMs of [0, 1000, 1250, 1500, 1750]) pictures.recordEvent(atMs);
    for (let index = 0; index < 8; index++) pictures.recordEvent(2000 + index * 100);
    const lines = pictures.lines(3500);
    expect(lines[0]).toBe("  events/s  ▁▄█ (last 3 s)");
    expect(lines[1]).toMatch(/^ {2}gaps {6}\S+ 100 ms … 1\.00 s$/);
  });

  it("keeps a minute of seconds and a fixed number of gaps, however long the run", () => {
    const pictures = new StatsPictures(0);
    for (let atMs = 0; atMs < 3_600_000; atMs += 250) pictures.recordEvent(atMs);
    const [rates] = pictures.lines(3_600_000);
    expect(rates).toContain("(last 60 s)");
  });

  it("has nothing to show before two events", () => {
    const pictures = new StatsPictures(0);
    pictures.recordEvent(5);
    expect(pictures.lines(5000)).toEqual([]);
  });
});
