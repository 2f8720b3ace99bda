import { describe, expect, it } from "vitest";
import {
  describeFaults,
  type FaultOptions,
  faultOptionsProblem,
} from "../../../src/serve/faults/fault-options.js";

describe("fault options", () => {
  it.each<[FaultOptions, string]>([
    [{ dropAfter: 0 }, "--drop-after must be a whole number of 1 or more"],
    [{ failFirst: 1.5 }, "--fail-first must be a whole number of 1 or more"],
    [{ stallAfter: 2 }, "--stall-after and --stall-for go together"],
    [{ stallFor: 1000 }, "--stall-after and --stall-for go together"],
    [{ failStatus: 500 }, "--fail-status needs --fail-first"],
    [{ failFirst: 1, failStatus: 200 }, "--fail-status must be 204 or an error status"],
    [{ failFirst: 1, failStatus: 302 }, "--fail-status must be 204 or an error status"],
    [{ chunkSplit: 0 }, "--chunk-split must be a number of bytes"],
    [{ latency: -1 }, "--latency must be a duration"],
    [{ latency: 2 ** 31 }, "--latency must be a duration"],
  ])("%j: %s", (options, problem) => {
    expect(faultOptionsProblem(options)).toContain(problem);
  });

  it("accepts each fault and says which are on", () => {
    const options: FaultOptions = {
      dropAfter: 3,
      stallAfter: 2,
      stallFor: 1500,
      failFirst: 2,
      failStatus: 204,
      chunkSplit: "random",
      latency: 200,
    };
    expect(faultOptionsProblem(options)).toBeUndefined();
    expect(describeFaults(options)).toEqual([
      "--drop-after 3",
      "--stall-after 2 --stall-for 1500ms",
      "--fail-first 2 (204)",
      "--chunk-split random",
      "--latency 200ms",
    ]);
    expect(describeFaults({})).toEqual([]);
  });
});
