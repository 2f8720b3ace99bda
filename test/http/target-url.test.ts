import { describe, expect, it } from "vitest";
import { basicAuthorization } from "../../src/http/basic-auth.js";
import { redactUrl } from "../../src/http/redaction.js";
import { parseTargetUrl, withDefaultScheme } from "../../src/http/target-url.js";

describe("URLs as HTTPie reads them", () => {
  it.each([
    ["localhost:8080/events", "http://localhost:8080/events"],
    ["127.0.0.1:8080/events", "http://127.0.0.1:8080/events"],
    [":8080/events", "http://localhost:8080/events"],
    [":/events", "http://localhost/events"],
    ["example.com/events", "http://example.com/events"],
    ["https://example.com/events", "https://example.com/events"],
    ["HTTP://example.com/", "HTTP://example.com/"],
  ])("%s -> %s", (raw, expected) => {
    expect(new URL(withDefaultScheme(raw)).href).toBe(new URL(expected).href);
    expect(parseTargetUrl(raw).href).toBe(new URL(expected).href);
  });

  it.each(["ftp://example.com/", "ws://example.com/"])("%s is a usage error", (raw) => {
    expect(() => parseTargetUrl(raw)).toThrow(/unsupported URL scheme/);
  });

  it("an invalid URL is told without its password", () => {
    expect(() => parseTargetUrl("u:pw@localhost:99999/x")).toThrow(
      "invalid URL: localhost:99999/x",
    );
  });
});

describe("credentials are never shown", () => {
  it.each([
    ["http://u:pw@host/x", "http://host/x"],
    ["http://u:pw@host:99999/x", "http://host:99999/x"],
    ["not a url", "not a url"],
  ])("%s -> %s", (raw, expected) => {
    expect(redactUrl(raw)).toBe(expected);
  });
});

describe("Basic auth", () => {
  const decode = (header: string | undefined) =>
    Buffer.from(header!.replace("Basic ", ""), "base64").toString("utf8");
  it("-u wins over the URL; the URL is percent-decoded; no user, no header", () => {
    const url = new URL("http://a%20b:c%3Ad@host/");
    expect(decode(basicAuthorization(url, undefined))).toBe("a b:c:d");
    expect(decode(basicAuthorization(url, "x:y"))).toBe("x:y");
    expect(decode(basicAuthorization(new URL("http://host/"), "x"))).toBe("x:");
    expect(basicAuthorization(new URL("http://host/"), undefined)).toBeUndefined();
  });
  it("a line break in -u is a usage error", () => {
    expect(() => basicAuthorization(new URL("http://host/"), "a\nb:c")).toThrow(/line break/);
  });
});
