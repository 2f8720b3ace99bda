/** The one loopback test (src/http/loopback.ts), used by serve's warnings, CORS and Host check. */
import { describe, expect, it } from "vitest";
import { canonicalHost, isIpLiteral, isLoopbackHost } from "../../src/http/loopback.js";

describe("isLoopbackHost", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["127.255.255.254", true],
    ["localhost", true],
    ["LOCALHOST", true],
    ["app.localhost", true],
    ["a.b.localhost", true],
    ["::1", true],
    ["[::1]", true],
    ["0:0:0:0:0:0:0:1", true],
    ["[0000:0000::0001]", true],
    ["::ffff:127.0.0.1", true],
    ["[::ffff:127.9.8.7]", true],
    ["0x7f.1", true],
    ["0.0.0.0", false],
    ["::", false],
    ["[::]", false],
    ["::ffff:10.0.0.1", false],
    ["192.168.1.5", false],
    ["128.0.0.1", false],
    ["example.com", false],
    ["127.evil.example", false],
    ["localhost.evil.example", false],
    ["evil-localhost", false],
    ["localhost.", false],
    ["evil.example@127.0.0.1", false],
    ["127.0.0.1/x", false],
    ["127.0.0.1:80", false],
    ["fe80::1%lo", false],
    ["", false],
  ])("%s: %s", (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe("canonicalHost and isIpLiteral", () => {
  it.each([
    ["Example.COM", "example.com", false],
    ["10.0.0.1", "10.0.0.1", true],
    ["::1", "[::1]", true],
    ["[2001:DB8::1]", "[2001:db8::1]", true],
    ["2130706433", "127.0.0.1", true],
    ["a b", undefined, false],
    ["x:y", undefined, false],
  ])("%s -> %s", (host, canonical, ip) => {
    expect(canonicalHost(host)).toBe(canonical);
    if (canonical !== undefined) expect(isIpLiteral(canonical)).toBe(ip);
  });
});
