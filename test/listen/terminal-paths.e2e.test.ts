/**
 * Issue 13, principle 4: every byte from a server or a user that reaches a terminal goes
 * through the one escaper. Each test runs the binary on a real pseudo-terminal against a
 * server whose event types, ids and data hold terminal controls, bidi overrides, zero-width and
 * tag characters, and checks what the terminal received.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendChunks, startTestServer, type TestServer } from "../helpers/http-test-server.js";
import { runInTerminal, withoutOwnSequences } from "../helpers/terminal-run.js";

/**
 * OSC 52 (clipboard), a title change, C1, bidi (overrides, isolates and the marks ALM, LRM,
 * RLM), zero-width, BOM, soft hyphen, a tag, the paragraph separator.
 */
const evil =
  "a\x1b]52;c;cHduZWQ=\x07b\x1b]0;owned\x9cc\x85d\u202ee\u2066f\u200bg\u200dh\ufeffi\u00adj\u{e0041}k" +
  "\u061cl\u200em\u200fn\u2029o";
const evilType = `t${evil}`;

/** Anything a terminal would act on or hide (written here, independently of the escaper). */
const raw =
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0\ufff9-\ufffb]|\udb40[\udc00-\udc7f]/u;

function expectNothingRaw(screen: string): void {
  const left = withoutOwnSequences(screen);
  const found = raw.exec(left);
  expect(
    found,
    `raw ${JSON.stringify(found?.[0])} near ${JSON.stringify(left.slice(Math.max(0, (found?.index ?? 0) - 40), (found?.index ?? 0) + 20))}`,
  ).toBeNull();
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    "/evil": sendChunks([
      `event: ${evilType}\nid: ${evil}\ndata: ${evil}\n\n`,
      `event: ${evilType}2\ndata: {"k":"${evil}"}\n\n`,
      `: ${evil}\n\n`,
    ]),
  });
});
afterAll(() => server.close());

describe.concurrent("what reaches a terminal is escaped", () => {
  it("the pretty view, -v and the closing lines", async () => {
    const result = await runInTerminal([
      "listen",
      "-v",
      "--comments",
      "--no-reconnect",
      `${server.url}/evil`,
    ]);
    expect(result.code).toBe(0);
    expectNothingRaw(result.screen);
    expect(result.screen).toContain("\\x1b]52;c;cHduZWQ=\\x07b");
    expect(result.screen).toContain("\\u202ee\\u2066f\\u200bg\\u200dh\\ufeffi\\xadj\\u{e0041}k");
    expect(result.screen).toContain("\\u061cl\\u200em\\u200fn\\u2029o");
  });

  it("--json on a terminal: \\uXXXX escapes, still valid JSON with the exact data", async () => {
    const result = await runInTerminal([
      "listen",
      "--json",
      "--no-reconnect",
      `${server.url}/evil`,
    ]);
    expect(result.code).toBe(0);
    expectNothingRaw(result.screen);
    const lines = withoutOwnSequences(result.screen)
      .split("\n")
      .filter((line) => line.startsWith("{"));
    const events = lines.map((line) => JSON.parse(line));
    expect(events[0]).toMatchObject({ event: evilType, id: evil, data: evil });
    expect(lines[0]).toContain("\\u202e");
    expect(lines[0]).toContain("\\u0085");
    expect(lines[0]).toContain("\\udb40\\udc41");
    expect(lines[0]).toContain("\\u061cl\\u200em\\u200fn\\u2029o");
  });

  it("the --stats block", async () => {
    const result = await runInTerminal([
      "listen",
      "--stats",
      "--no-reconnect",
      `${server.url}/evil`,
    ]);
    expect(result.code).toBe(0);
    expectNothingRaw(result.screen);
    expect(result.screen).toMatch(/stats: 2 events/);
    // On a terminal the block ends with the gaps between events as a sparkline.
    expect(result.screen).toMatch(/gaps +[▁▂▃▄▅▆▇█]+ /);
  });

  it("--expect-* messages, with hostile names from the server and the user", async () => {
    const result = await runInTerminal([
      "listen",
      "--no-reconnect",
      "--expect-event",
      `mine\u202e\u200b\x1b[2J`,
      `${server.url}/evil`,
    ]);
    expect(result.code).toBe(4);
    expectNothingRaw(result.screen);
    expect(result.screen).toContain('--expect-event "mine\\u202e\\u200b\\x1b[2J" not seen');
  });

  it("error messages that quote the user's input", async () => {
    const result = await runInTerminal(["listen", `not a url\x1b]0;owned\x07\u202e`]);
    expect(result.code).toBe(2);
    expectNothingRaw(result.screen);
    expect(result.screen).toContain("invalid URL: not a url\\x1b]0;owned\\x07\\u202e");
  });
});
