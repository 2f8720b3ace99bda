/**
 * detachedCopy really lets go of the chunk a string was cut from (issue 13: kept ids pinned
 * their 64 KiB chunks). Measured with the heap: the control (a plain slice) must show the pin,
 * so the test can fail.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { detachedCopy } from "../../src/sse/detached-copy.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/**
 * What a string holds: V8's heap, and outside it the external strings that TextDecoder returns
 * for large text on Node 24 and later (their slices pin them just the same). External strings
 * are freed after a few collections.
 */
function stringMemory(): number {
  for (let i = 0; i < 3; i++) gc();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

/** Memory growth (MB) from keeping `keep(slice)` of 100 decoded 1 MiB chunks (`length` each). */
function retainedMb(keep: (slice: string) => string, length = 40): { mb: number; kept: string[] } {
  const before = stringMemory();
  const kept: string[] = [];
  const utf8 = new TextDecoder();
  for (let i = 0; i < 100; i++) {
    const chunk = utf8.decode(Buffer.alloc(1024 * 1024, 0x61 + (i % 26)));
    kept.push(keep(chunk.slice(100, 100 + length)));
  }
  return { mb: (stringMemory() - before) / 1e6, kept };
}

describe("detachedCopy", () => {
  it("keeps 40 characters, not the 1 MiB chunk they came from", () => {
    const pinned = retainedMb((slice) => slice);
    const copied = retainedMb(detachedCopy);
    expect(pinned.mb).toBeGreaterThan(50);
    expect(copied.mb).toBeLessThan(5);
    expect(copied.kept[0]).toBe("a".repeat(40));
  });

  it("copies from 13 characters, the shortest slice V8 keeps as a pointer into its parent", () => {
    // The control: a plain 13-character slice pins its chunk, so a copy is needed from there.
    expect(retainedMb((slice) => slice, 13).mb).toBeGreaterThan(50);
    const copied = retainedMb(detachedCopy, 13);
    expect(copied.mb).toBeLessThan(5);
    expect(copied.kept[1]).toBe("b".repeat(13));
  });

  it("returns a 12-character slice as it is: V8 copied it already, it holds no chunk", () => {
    const kept = retainedMb(detachedCopy, 12);
    expect(kept.mb).toBeLessThan(5);
    expect(kept.kept[2]).toBe("c".repeat(12));
  });

  it("returns the same text, short strings as they are", () => {
    for (const text of ["", "id-1", "x".repeat(13), "é😀\ud800 mixed \u202e"]) {
      expect(detachedCopy(text)).toBe(text);
    }
  });
});
