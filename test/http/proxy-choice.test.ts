/** Which proxy a URL goes through: --proxy, HTTP(S)_PROXY, NO_PROXY (src/http/proxy-choice.ts). */
import { describe, expect, it } from "vitest";
import { proxiesIn, proxyFor, proxySettings } from "../../src/http/proxy-choice.js";

const env = {
  HTTP_PROXY: "http://plain.proxy:3128",
  HTTPS_PROXY: "http://tls.proxy:3128",
};

describe("proxyFor", () => {
  it.each([
    ["http://api.example.com/events", {}, "http://plain.proxy:3128"],
    ["https://api.example.com/events", {}, "http://tls.proxy:3128"],
    ["https://api.example.com/", { NO_PROXY: "*" }, undefined],
    ["https://api.example.com/", { NO_PROXY: "example.com" }, undefined],
    ["https://api.example.com/", { NO_PROXY: ".example.com" }, undefined],
    ["https://api.example.com/", { NO_PROXY: "*.example.com" }, undefined],
    ["https://example.com/", { NO_PROXY: "*.example.com" }, undefined],
    ["https://notexample.com/", { NO_PROXY: "example.com" }, "http://tls.proxy:3128"],
    ["https://api.example.com/", { NO_PROXY: "example.com:8443" }, "http://tls.proxy:3128"],
    ["https://api.example.com:8443/", { NO_PROXY: "example.com:8443" }, undefined],
    ["http://127.0.0.1:8080/", { NO_PROXY: "localhost, 127.0.0.1" }, undefined],
    ["http://[::1]:8080/", { NO_PROXY: "::1" }, undefined],
    ["http://[::1]:8080/", { NO_PROXY: "[::1]:8080" }, undefined],
    ["http://[::1]:8080/", { NO_PROXY: "[::1]:9090" }, "http://plain.proxy:3128"],
    ["http://API.Example.COM/", { no_proxy: "example.com", NO_PROXY: "other" }, undefined],
  ])("%s with %j -> %s", (url, more, expected) => {
    expect(proxyFor(new URL(url), proxySettings(undefined, { ...env, ...more }))).toBe(expected);
  });

  it("--proxy is used for every URL; lower-case variables win", () => {
    const explicit = proxySettings("http://mine:1", { ...env, NO_PROXY: "*" });
    expect(proxyFor(new URL("https://a.test/"), explicit)).toBe("http://mine:1");
    expect(proxiesIn(explicit)).toEqual(["http://mine:1"]);
    const lower = proxySettings(undefined, { ...env, http_proxy: "http://lower:1" });
    expect(proxyFor(new URL("http://a.test/"), lower)).toBe("http://lower:1");
    expect(proxiesIn(proxySettings(undefined, {}))).toEqual([]);
  });
});
