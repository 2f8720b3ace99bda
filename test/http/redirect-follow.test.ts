/** Following a redirect (src/http/redirect-follow.ts): the next request, or why there is none. */
import { describe, expect, it } from "vitest";
import { isSseToolError } from "../../src/errors.js";
import { nextRedirect, type RedirectableRequest } from "../../src/http/redirect-follow.js";

const post: RedirectableRequest = {
  url: "http://a.test/events",
  method: "POST",
  headers: { accept: "text/event-stream", "content-type": "application/json", "x-api-key": "k" },
  body: new TextEncoder().encode("{}"),
};
const rules = { userHeaderNames: new Set(["x-api-key", "content-type"]), locationTrusted: false };

function redirectError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isSseToolError(error) && error.code === "redirect") return error.message;
    throw error;
  }
  throw new Error("no redirect error");
}

describe("nextRedirect", () => {
  it("is undefined for a response that is no redirect, or a 3xx without Location", () => {
    expect(nextRedirect(200, "/x", post, rules, 0, 10)).toBeUndefined();
    expect(nextRedirect(304, "/x", post, rules, 0, 10)).toBeUndefined();
    expect(nextRedirect(302, undefined, post, rules, 0, 10)).toBeUndefined();
  });

  it.each([
    [301, "GET", false],
    [302, "GET", false],
    [303, "GET", false],
    [307, "POST", true],
    [308, "POST", true],
  ])("%d after a POST continues as %s (body kept: %s)", (status, method, bodyKept) => {
    const next = nextRedirect(status, "/moved?x=1", post, rules, 0, 10)!;
    expect(next.url).toBe("http://a.test/moved?x=1");
    expect(next.method).toBe(method);
    expect(next.body !== undefined).toBe(bodyKept);
    expect("content-type" in next.headers).toBe(bodyKept);
    // Same origin: the user's headers go along.
    expect(next.headers["x-api-key"]).toBe("k");
    expect(next.dropped).toEqual([]);
  });

  it("to another origin applies the header policy (redirect.ts); --location-trusted keeps all", () => {
    const next = nextRedirect(307, "http://b.test/events", post, rules, 0, 10)!;
    expect(next.headers).toEqual({
      accept: "text/event-stream",
      "content-type": "application/json",
    });
    expect(next.dropped).toEqual(["x-api-key"]);
    const trusted = nextRedirect(
      307,
      "http://b.test/",
      post,
      { ...rules, locationTrusted: true },
      0,
      10,
    )!;
    expect(trusted.headers).toEqual(post.headers);
  });

  it("does not change the request it was given", () => {
    const before = structuredClone(post.headers);
    nextRedirect(303, "http://b.test/", post, rules, 0, 10);
    expect(post.headers).toEqual(before);
  });

  it("refuses an invalid or non-HTTP Location, and more than maxRedirects", () => {
    expect(redirectError(() => nextRedirect(302, "http://[bad", post, rules, 0, 10))).toMatch(
      /invalid Location/,
    );
    expect(redirectError(() => nextRedirect(302, "ftp://a.test/", post, rules, 0, 10))).toMatch(
      /unsupported URL ftp:/,
    );
    expect(redirectError(() => nextRedirect(302, "/again", post, rules, 10, 10))).toMatch(
      /too many redirects \(more than 10\)/,
    );
  });
});
