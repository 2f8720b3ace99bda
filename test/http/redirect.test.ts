/** Which headers follow a redirect (src/http/redirect.ts). */
import { describe, expect, it } from "vitest";
import { headersForRedirect } from "../../src/http/redirect.js";

const headers = {
  accept: "text/event-stream",
  "cache-control": "no-cache",
  "last-event-id": "7",
  "x-api-key": "k",
  "session-token": "t",
  authorization: "Bearer s",
  cookie: "a=b",
  "content-type": "application/json",
};
const userHeaderNames = new Set(["x-api-key", "session-token", "authorization", "cookie"]);
const from = new URL("https://api.example.com/events");

describe("headersForRedirect", () => {
  it("to another origin: no -H header, no credential; the EventSource's own stay", () => {
    const { headers: kept, dropped } = headersForRedirect(headers, {
      from,
      to: new URL("https://cdn.example.net/events"),
      userHeaderNames,
      locationTrusted: false,
      bodyResent: false,
    });
    expect(kept).toEqual({
      accept: "text/event-stream",
      "cache-control": "no-cache",
      "last-event-id": "7",
      "content-type": "application/json",
    });
    expect(dropped).toEqual(["x-api-key", "session-token", "authorization", "cookie"]);
  });

  it("another scheme or port is another origin; a user's Content-Type stays only with the body", () => {
    const withType = new Set([...userHeaderNames, "content-type"]);
    for (const to of ["http://api.example.com/events", "https://api.example.com:8443/events"]) {
      const resent = headersForRedirect(headers, {
        from,
        to: new URL(to),
        userHeaderNames: withType,
        locationTrusted: false,
        bodyResent: true,
      });
      expect(resent.headers["content-type"]).toBe("application/json");
      expect(resent.headers["x-api-key"]).toBeUndefined();
      const notResent = headersForRedirect(headers, {
        from,
        to: new URL(to),
        userHeaderNames: withType,
        locationTrusted: false,
        bodyResent: false,
      });
      expect(notResent.headers["content-type"]).toBeUndefined();
    }
  });

  it("same origin, or --location-trusted: everything stays", () => {
    for (const [to, locationTrusted] of [
      ["https://api.example.com/other", false],
      ["https://elsewhere.test/", true],
    ] as const) {
      const result = headersForRedirect(headers, {
        from,
        to: new URL(to),
        userHeaderNames,
        locationTrusted,
        bodyResent: false,
      });
      expect(result).toEqual({ headers, dropped: [] });
    }
  });
});
