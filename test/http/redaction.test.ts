import { describe, expect, it } from "vitest";
import { isSecretName, redactUrl } from "../../src/http/redaction.js";

describe("what counts as a secret", () => {
  it.each([
    "Authorization",
    "proxy-authorization",
    "Cookie",
    "set-cookie",
    "x-api-key",
    "api-key",
    "x-goog-api-key",
    "X-Auth-Token",
    "access_token",
    "client_secret",
    "sessionid",
    "x-session",
    "sig",
    "apikey",
    "x-amz-security-token",
    "x-accesstoken",
  ])("%s is secret", (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each([
    "accept",
    "content-type",
    "cache-control",
    "last-event-id",
    "user-agent",
    "keep-alive",
    "x-ratelimit-remaining-tokens",
    "www-authenticate",
    "x-request-id",
  ])("%s is not", (name) => {
    expect(isSecretName(name)).toBe(false);
  });
});

describe("redactUrl", () => {
  it.each([
    ["http://user:pw@127.0.0.1:8080/events", "http://127.0.0.1:8080/events"],
    ["https://user@example.com/e?x=1", "https://example.com/e?x=1"],
    [
      "http://127.0.0.1/events?token=s3cret&x=1&api_key=k",
      "http://127.0.0.1/events?token=[redacted]&x=1&api_key=[redacted]",
    ],
    ["http://127.0.0.1/events?tokens=5", "http://127.0.0.1/events?tokens=5"],
    ["not a url", "not a url"],
  ])("%s -> %s", (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});
