import { describe, expect, it } from "vitest";
import {
  checkAccessToken,
  isLoopbackHost,
  presentedAccessToken,
  resolveAccessToken,
} from "../../src/serve/access.js";

describe("access token", () => {
  it("prefers --token over SSE_TOOL_TOKEN and treats empty as unset", () => {
    expect(resolveAccessToken("a", "b")).toBe("a");
    expect(resolveAccessToken(undefined, "b")).toBe("b");
    expect(resolveAccessToken("", "")).toBeUndefined();
    expect(resolveAccessToken(undefined, undefined)).toBeUndefined();
  });

  it.each([
    { header: "Bearer s3cret", target: "/events", token: "s3cret" },
    { header: "bearer  s3cret", target: "/events", token: "s3cret" },
    { header: undefined, target: "/events?token=s3cret", token: "s3cret" },
    { header: undefined, target: "/events?a=1&token=s%20x", token: "s x" },
    { header: "Basic abc", target: "/events?token=q", token: "q" },
    { header: "Bearer h", target: "/events?token=q", token: "h" },
    { header: undefined, target: "/events", token: undefined },
    { header: "Basic abc", target: "/events?tok=1", token: undefined },
  ])("reads $header $target", ({ header, target, token }) => {
    expect(presentedAccessToken(header, target)).toBe(token);
  });

  it("checks tokens", () => {
    expect(checkAccessToken("s3cret", "s3cret")).toBe("allowed");
    expect(checkAccessToken("s3cret", "s3cre")).toBe("wrong-token");
    expect(checkAccessToken("s3cret", "s3cret-and-more")).toBe("wrong-token");
    expect(checkAccessToken("s3cret", undefined)).toBe("missing-token");
    expect(checkAccessToken("s3cret", "")).toBe("missing-token");
  });

  it.each([
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["localhost", true],
    ["::1", true],
    ["[::1]", true],
    ["0.0.0.0", false],
    ["::", false],
    ["192.168.1.5", false],
    ["example.com", false],
  ])("%s is loopback: %s", (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});
