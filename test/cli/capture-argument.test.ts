/** Which `listen`/`doctor` argument is a capture and which a URL: a typo'd host is never a file. */
import { describe, expect, it } from "vitest";
import { offlineSource } from "../../src/cli/capture-argument.js";

const exists = new Set(["capture.sse", "localhost:8080", "example.com"]);
const isFile = (path: string) => exists.has(path);

describe("offlineSource", () => {
  it.each([
    ["-", { kind: "stdin" }],
    ["./capture.sse", { kind: "file", path: "./capture.sse" }],
    ["../x.sse", { kind: "file", path: "../x.sse" }],
    ["/tmp/missing.sse", { kind: "file", path: "/tmp/missing.sse" }],
    ["file:///tmp/a%20b.sse", { kind: "file", path: "/tmp/a b.sse" }],
    ["capture.sse", { kind: "file", path: "capture.sse" }],
  ])("%s is a capture", (argument, expected) => {
    expect(offlineSource(argument, isFile)).toEqual(expected);
  });

  it.each([
    "http://localhost:8080/events",
    "https://capture.sse/",
    "localhost:8080/events",
    // A file by that name exists, but host:port says URL.
    "localhost:8080",
    ":8080/events",
    "missing.sse",
    "nosuchhost.invalid/events",
  ])("%s is a URL", (argument) => {
    expect(offlineSource(argument, isFile)).toBeUndefined();
  });

  it("an existing file without a scheme or port is read as a file (example.com here)", () => {
    expect(offlineSource("example.com", isFile)).toEqual({ kind: "file", path: "example.com" });
  });

  it("a file: URL that names no local path is a usage error", () => {
    expect(() => offlineSource("file://remote-host/x", isFile)).toThrow(/invalid file URL/);
  });
});
