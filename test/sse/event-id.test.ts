/**
 * Event ids as load and doctor keep them: canonical decimals as sequence numbers, and a key of
 * bounded length that tells different ids apart.
 */
import { describe, expect, it } from "vitest";
import { eventIdKey, longestKeptId, sequenceNumber } from "../../src/sse/event-id.js";

describe("eventIdKey", () => {
  it("keeps short ids as they are and long ones as a short key", () => {
    expect(eventIdKey("abc")).toBe("abc");
    expect(eventIdKey("x".repeat(longestKeptId))).toBe("x".repeat(longestKeptId));
    const long = "x".repeat(70_000);
    const key = eventIdKey(long);
    expect(key.length).toBeLessThan(40);
    expect(key.startsWith("xxxxxxxxxxxxxxxx…#")).toBe(true);
    expect(key.endsWith(":70000")).toBe(true);
    expect(key).toBe(eventIdKey(`${"x".repeat(69_999)}x`));
    expect(key).not.toBe(eventIdKey(`${"x".repeat(69_999)}y`));
    expect(eventIdKey(`${"y".repeat(100)}`)).not.toBe(eventIdKey(`${"y".repeat(101)}`));
    expect(eventIdKey("x".repeat(longestKeptId + 1))).not.toBe("x".repeat(longestKeptId + 1));
  });

  it("keys a short id that looks like a long id's key, so it cannot pass for that id", () => {
    const long = `${"z".repeat(20)}${"q".repeat(100)}`;
    const mimic = eventIdKey(long);
    expect(mimic.length).toBeLessThanOrEqual(longestKeptId);
    expect(eventIdKey(mimic)).not.toBe(mimic);
    expect(eventIdKey(mimic)).not.toBe(eventIdKey(long));
  });
});

describe("sequenceNumber", () => {
  it.each([
    ["0", 0],
    ["7", 7],
    ["123456789012345", 123456789012345],
    ["1234567890123456", -1],
    ["007", -1],
    ["-1", -1],
    ["1e3", -1],
    ["", -1],
    [" 1", -1],
  ])("sequenceNumber(%j) = %d", (id, expected) => {
    expect(sequenceNumber(id)).toBe(expected);
  });
});
