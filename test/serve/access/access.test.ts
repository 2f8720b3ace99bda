/** Who may use serve: tokens, origins, Host names (src/serve/access.ts). */
import { describe, expect, it } from "vitest";
import {
  allowedHostProblem,
  checkAccessToken,
  chooseAccessToken,
  corsValueProblem,
  isAllowedHost,
  isAllowedOrigin,
  isLoopbackOrigin,
  originPolicy,
  presentedAccessToken,
} from "../../../src/serve/access/access.js";

describe("access token", () => {
  it("comes from --token, else --token-file, else SSE_TOOL_TOKEN; none is no token", () => {
    const file = { path: "t.txt", text: "from-file\n" };
    expect(chooseAccessToken({ option: "a", environment: "b" })).toEqual({
      token: "a",
      source: "option",
    });
    expect(chooseAccessToken({ file, environment: "b" })).toEqual({
      token: "from-file",
      source: "file",
    });
    expect(chooseAccessToken({ environment: "b" })).toEqual({ token: "b", source: "environment" });
    expect(chooseAccessToken({})).toBeUndefined();
  });

  it("an empty token is an error, never 'no token' (an unset variable must not turn the check off)", () => {
    expect(chooseAccessToken({ option: "" })).toMatch(/--token is empty/);
    expect(chooseAccessToken({ environment: "" })).toMatch(/SSE_TOOL_TOKEN is empty/);
    expect(chooseAccessToken({ file: { path: "t.txt", text: " \n" } })).toMatch(
      /--token-file t\.txt is empty/,
    );
    expect(chooseAccessToken({ option: "a", file: { path: "t", text: "b" } })).toMatch(/both/);
    expect(chooseAccessToken({ option: "a b" })).toMatch(/whitespace/);
    expect(chooseAccessToken({ option: "a\u001b" })).toMatch(/control/);
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
    // Not Bearer credentials: "Bearer" inside another scheme, or two tokens.
    { header: "xBearer h", target: "/events", token: undefined },
    { header: "Bearer h extra", target: "/events?token=q", token: "q" },
    { header: "Bearer h  ", target: "/events", token: "h" },
    // "token=" in the path is no query parameter.
    { header: undefined, target: "/token=q", token: undefined },
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
});

describe("origins", () => {
  it.each([
    ["http://localhost:5173", true],
    ["http://localhost", true],
    ["https://localhost:8443", true],
    ["http://app.localhost:3000", true],
    ["http://127.0.0.1:3000", true],
    ["http://127.3.2.1", true],
    ["http://[::1]:8080", true],
    ["http://localhost.evil.example", false],
    ["http://127.0.0.1.nip.io", false],
    ["http://evil.example", false],
    ["null", false],
    ["http://localhost:3000/", false],
    ["ftp://localhost", false],
    ["http://0x7f.1:3000", false],
    // ::ffff:127.0.0.1 as a browser serializes it; other mapped addresses are not loopback.
    ["http://[::ffff:7f00:1]", true],
    ["http://[::ffff:a00:1]", false],
    // More near misses: names anyone can point anywhere, and what no browser sends.
    ["http://127.evil.example", false],
    ["http://evil-localhost", false],
    ["http://localhost.", false],
    ["http://[::]", false],
    ["http://0.0.0.0:3000", false],
    ["http://LOCALHOST:5173", false],
    ["http://user@localhost", false],
    ["ws://localhost:5173", false],
    ["", false],
  ])("%s is a loopback origin: %s", (origin, loopback) => {
    expect(isLoopbackOrigin(origin)).toBe(loopback);
    // And so allowed by the default policy, or not.
    expect(isAllowedOrigin(originPolicy(undefined), origin)).toBe(loopback);
  });

  it("default: loopback origins; --cors adds exact origins; '*' any; --no-cors none", () => {
    const byDefault = originPolicy(undefined);
    expect(isAllowedOrigin(byDefault, "http://localhost:5173")).toBe(true);
    expect(isAllowedOrigin(byDefault, "https://app.example.com")).toBe(false);
    const added = originPolicy(["https://app.example.com"]);
    expect(isAllowedOrigin(added, "https://app.example.com")).toBe(true);
    expect(isAllowedOrigin(added, "https://app.example.com:444")).toBe(false);
    expect(isAllowedOrigin(added, "http://localhost:5173")).toBe(true);
    expect(isAllowedOrigin(originPolicy(["*"]), "https://any.example")).toBe(true);
    expect(isAllowedOrigin(originPolicy(["null"]), "null")).toBe(true);
    const none = originPolicy(false);
    expect(isAllowedOrigin(none, "http://localhost:5173")).toBe(false);
  });

  it.each([
    ["https://app.example.com", undefined],
    ["http://localhost:5173", undefined],
    ["*", undefined],
    ["null", undefined],
    ["https://app.example.com/", /no path or trailing slash/],
    ["app.example.com", /expected an origin/],
    ["https://app.example.com/page", /expected an origin/],
    ["HTTPS://APP.example.com", /expected an origin/],
    ["file:///tmp", /expected an origin/],
  ])("--cors %s", (value, problem) => {
    const found = corsValueProblem(value);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });
});

describe("Host header", () => {
  const allowed = ["dev.example.com", ".corp.example"];
  it.each([
    [undefined, true],
    ["localhost", true],
    ["localhost:8080", true],
    ["LOCALHOST:8080", true],
    ["app.localhost:8080", true],
    ["127.0.0.1:8080", true],
    ["127.9.9.9", true],
    ["[::1]:8080", true],
    ["[::ffff:127.0.0.1]:8080", true],
    // An IP address cannot be rebound to another machine by DNS.
    ["192.168.1.20:8080", true],
    ["[2001:db8::1]:8080", true],
    ["dev.example.com:8080", true],
    ["corp.example", true],
    ["a.b.corp.example:1", true],
    // DNS-rebinding names and near misses.
    ["evil.example:8080", false],
    ["127.evil.example:8080", false],
    ["localhost.evil.example:8080", false],
    ["127.0.0.1.nip.io:8080", false],
    ["localhost.:8080", false],
    ["evilcorp.example", false],
    ["dev.example.com.evil.example", false],
    ["::ffff:127.0.0.1", false],
    ["::1", false],
    ["[::1", false],
    ["localhost:80:80", false],
    ["localhost:http", false],
    ["user@localhost", false],
    ["[::1]evil:80", false],
    ["[]", false],
    ["", false],
  ])("Host %s: %s", (host, ok) => {
    expect(isAllowedHost(host, allowed)).toBe(ok);
  });

  it.each([
    ["dev.example.com", undefined],
    [".corp.example", undefined],
    ["DEV.example.com", undefined],
    ["", /expected a host name/],
    [".", /expected a host name/],
    ["http://dev.example.com", /expected a host name/],
    ["dev.example.com:8080", /expected a host name/],
    [".a b", /expected a host name/],
    // An empty label is a typo no Host header can match: refused, not silently useless.
    ["..corp.example", /expected a host name/],
    ["dev..example.com", /expected a host name/],
    ["dev.example.com.", undefined],
  ])("--allowed-host %s", (value, problem) => {
    const found = allowedHostProblem(value);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });
});
