import { expect, it } from "vitest";
import { SeenEventIds } from "../../../src/mcp/protocol/seen-event-ids.js";

it("says an id is new once, and forgets the oldest past its bound", () => {
  const seen = new SeenEventIds();
  expect(seen.firstSight("a")).toBe(true);
  expect(seen.firstSight("a")).toBe(false);
  for (let i = 0; i < 4096; i++) seen.firstSight(`id-${i}`);
  expect(seen.firstSight("id-4095")).toBe(false);
  expect(seen.firstSight("a")).toBe(true);
});
