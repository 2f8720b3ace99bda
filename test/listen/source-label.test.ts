import { describe, expect, it } from "vitest";
import { shortenMiddle, sourceLabels } from "../../src/listen/source-label.js";

describe("sourceLabels", () => {
  it.each([
    [
      "different hosts: the host name",
      ["https://api.example.com/v1/events", "https://stream.example.org/events"],
      ["api.example.com", "stream.example.org"],
    ],
    [
      "same host name, different ports: host:port",
      ["http://127.0.0.1:4001/events", "http://127.0.0.1:4002/events"],
      ["127.0.0.1:4001", "127.0.0.1:4002"],
    ],
    [
      "same host, different last segment",
      ["http://h/feeds/ticker", "http://h/feeds/news/"],
      ["ticker", "news"],
    ],
    [
      "same last segment, different query",
      ["http://h/events?topic=a", "http://h/events?topic=b"],
      ["events?topic=a", "events?topic=b"],
    ],
    [
      "same last segment, different folders: the path",
      ["http://h/a/events", "http://h/b/events"],
      ["/a/events", "/b/events"],
    ],
    [
      "the same URL twice: numbered",
      ["http://h/events", "http://h/events"],
      ["h/events", "h/events#2"],
    ],
  ])("%s", (_name, urls, expected) => {
    expect(sourceLabels(urls)).toEqual(expected);
  });

  it("gives each URL its label whatever the order of the others (stable across runs)", () => {
    const labels = ["127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"];
    const urls = ["http://127.0.0.1:1/x", "http://127.0.0.1:2/x", "http://127.0.0.1:3/x"];
    expect(sourceLabels(urls)).toEqual(labels);
    expect(sourceLabels([urls[2]!, urls[0]!, urls[1]!])).toEqual([labels[2], labels[0], labels[1]]);
  });

  it("shortens long labels in the middle to at most 32 characters", () => {
    const labels = sourceLabels([
      `https://${"a".repeat(40)}.example.com/e`,
      `https://${"b".repeat(40)}.example.com/e`,
    ]);
    for (const label of labels) expect(label).toHaveLength(32);
    expect(labels[0]).toMatch(/^a+…a+\.example\.com$/);
    expect(shortenMiddle("abcdef", 5)).toBe("ab…ef");
    expect(shortenMiddle("abc", 5)).toBe("abc");
  });
});
