/**
 * The fault spec a request may carry (`SSE-Tool-Fault: drop-after=3, latency=200ms`), read by
 * the command line's own value parsers: table-driven, with the bounds hostile input meets.
 */
import { describe, expect, it } from "vitest";
import { maxFaultSpecLength, parseFaultSpec } from "../../../src/serve/faults/request-faults.js";

describe("parseFaultSpec", () => {
  it.each([
    ["drop-after=3", { options: { dropAfter: 3 }, key: "drop-after=3" }],
    [
      " drop-after = 3 ,latency=200ms, ",
      { options: { dropAfter: 3, latency: 200 }, key: "drop-after = 3 ,latency=200ms," },
    ],
    ["stall-after=2, stall-for=1.5s", { options: { stallAfter: 2, stallFor: 1500 } }],
    [
      "fail-first=2,fail-status=204,key=a.b:c-1",
      { options: { failFirst: 2, failStatus: 204 }, key: "a.b:c-1" },
    ],
    ["chunk-split=random", { options: { chunkSplit: "random" } }],
    ["chunk-split=7, times=2", { options: { chunkSplit: 7 }, times: 2 }],
    ["speed=max", { options: {}, speed: "max" }],
    ["Latency=0", { options: { latency: 0 } }],
    ["none", { options: {}, key: "none" }],
  ])("reads %j", (spec, expected) => {
    const read = parseFaultSpec(spec);
    expect(read.ok).toBe(true);
    if (read.ok) expect(read.faults).toMatchObject(expected);
  });

  it.each([
    ["", "the spec names no fault"],
    [" , ,", "the spec names no fault"],
    ["drop-after", "drop-after needs a value: drop-after=<value>"],
    ["drop-after=0", "drop-after must be a whole number of 1 or more"],
    ["drop-after=-1", "drop-after: expected a whole number."],
    ["drop-after=1,drop-after=2", "drop-after is given twice"],
    ["latency=200", "latency: expected a duration such as 500ms, 2s or 1m."],
    ["latency=30d", "latency: expected a duration such as 500ms, 2s or 1m."],
    [
      "stall-for=1s",
      "stall-after and stall-for go together: after how many events, and for how long",
    ],
    ["fail-status=500", "fail-status needs fail-first"],
    ["fail-first=1,fail-status=302", "fail-status must be 204 or an error status from 400 to 599"],
    ["chunk-split=0", 'chunk-split: expected a number of bytes (1 or more) or "random".'],
    ["times=0", "times must be 1 or more"],
    ["key=has space", "key: expected 1 to 64 letters, digits or ._:-"],
    ["key=", "key: expected 1 to 64 letters, digits or ._:-"],
    ["__proto__=1", 'unknown fault "__proto__"'],
    ["toString=1", 'unknown fault "tostring"'],
  ])("refuses %j: %s", (spec, problem) => {
    const read = parseFaultSpec(spec);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problem).toContain(problem);
  });

  it("refuses a spec over the bound before reading it, and reads one at the bound", () => {
    const atBound = `key=k,${" ".repeat(maxFaultSpecLength - 6)}`;
    expect(parseFaultSpec(atBound).ok).toBe(true);
    const over = parseFaultSpec(`${atBound} `);
    expect(over).toEqual({ ok: false, problem: "the spec is over 512 characters" });
  });

  it("takes linear time on hostile input within the bound", () => {
    const hostile = [
      ",".repeat(maxFaultSpecLength),
      "=".repeat(maxFaultSpecLength),
      `latency=${"9".repeat(500)}.`,
    ];
    const started = performance.now();
    for (let round = 0; round < 1000; round++) for (const spec of hostile) parseFaultSpec(spec);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
