/** The pure parts of `listen URL URL...`: exit-code ranking, labelled stderr, labelled output. */
import { Writable } from "node:stream";
import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/errors.js";
import { LinePrefixStream } from "../../src/listen/line-prefix-stream.js";
import { formatJsonComment, formatJsonLine } from "../../src/listen/output/json-lines.js";
import { PrettyEventFormatter } from "../../src/listen/output/pretty.js";
import { worstExitCode } from "../../src/listen/several-urls.js";

describe("worstExitCode", () => {
  it.each([
    [[0, 0], ExitCode.ok],
    [[0, 3], ExitCode.timeout],
    [[3, 4, 0], ExitCode.expectation],
    [[3, 1, 4], ExitCode.failure],
    [[1, 130, 0], ExitCode.interrupted],
    [[2, 1], ExitCode.usage],
  ])("%j -> %i", (codes, expected) => {
    expect(worstExitCode(codes)).toBe(expected);
  });
});

describe("LinePrefixStream", () => {
  it("labels each line, also when lines arrive in pieces", () => {
    const stream = new LinePrefixStream(new Writable(), "news");
    expect(stream.labelLines("sse-tool: stream ended\n> GET /x\n")).toBe(
      "sse-tool: [news] stream ended\n[news] > GET /x\n",
    );
    expect(stream.labelLines("sse-tool: recon")).toBe("sse-tool: [news] recon");
    expect(stream.labelLines("necting in 3 s\nsse")).toBe("necting in 3 s\n[news] sse");
  });

  it("writes through to its target in order", async () => {
    let written = "";
    const target = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.toString();
        callback();
      },
    });
    const stream = new LinePrefixStream(target, "a");
    stream.write("sse-tool: one\n");
    stream.write("two\n");
    await new Promise<void>((resolve) => stream.end(resolve));
    expect(written).toBe("sse-tool: [a] one\n[a] two\n");
  });
});

describe("labelled output", () => {
  const event = { type: "tick", data: "x", lastEventId: "7" };

  it("the pretty view puts the padded label after the time", () => {
    const formatter = new PrettyEventFormatter({
      chalk: new Chalk({ level: 0 }),
      sourceLabel: "news",
      sourceLabelWidth: 6,
    });
    expect(formatter.formatEvent(event, "12:00:00.000")).toBe(
      "12:00:00.000 [news]   tick id=7 x\n",
    );
    expect(formatter.formatComment("hb", "12:00:00.000")).toBe("12:00:00.000 [news]   : hb\n");
  });

  it("a label from the server's side cannot inject escape sequences", () => {
    const formatter = new PrettyEventFormatter({
      chalk: new Chalk({ level: 0 }),
      sourceLabel: "a\u001b[2Jb",
    });
    expect(formatter.formatEvent(event, "T")).not.toContain("\u001b");
  });

  it("--json gets a source field after time only when given", () => {
    expect(JSON.parse(formatJsonLine(event, "T", "http://h/e"))).toEqual({
      time: "T",
      source: "http://h/e",
      event: "tick",
      id: "7",
      data: "x",
    });
    expect(Object.keys(JSON.parse(formatJsonLine(event, "T", "http://h/e")))).toEqual([
      "time",
      "source",
      "event",
      "id",
      "data",
    ]);
    expect(formatJsonLine(event, "T")).not.toContain("source");
    expect(formatJsonComment("hb", "T", 'http://h/"q"')).toBe(
      '{"time":"T","source":"http://h/\\"q\\"","comment":"hb"}\n',
    );
  });
});
