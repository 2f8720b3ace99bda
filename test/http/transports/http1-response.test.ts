/**
 * The HTTP/1.1 response reader: head, chunked / Content-Length / close-delimited bodies, 1xx,
 * at every split of the bytes into reads; malformed and oversized input is an error, not a
 * guess, and nothing it keeps grows past its bounds.
 */
import { describe, expect, it } from "vitest";
import {
  Http1ResponseReader,
  HttpProtocolError,
  maxHeadBytes,
} from "../../../src/http/transports/http1-response.js";
import type { ResponseHead } from "../../../src/http/transports/stream-transport.js";

interface Read {
  heads: ResponseHead[];
  body: string;
  ended: boolean;
  /** endOfInput()'s answer when the connection closes after the last read. */
  completeAtClose: boolean;
}

const encoder = new TextEncoder();

/** Feeds `text` cut at `cuts`, inside a larger buffer (as the shared read buffer is used). */
function read(text: string, cuts: number[] = [], method = "GET"): Read {
  const bytes = encoder.encode(text);
  const result: Read = { heads: [], body: "", ended: false, completeAtClose: false };
  const latin1 = new TextDecoder("latin1");
  const reader = new Http1ResponseReader(
    {
      onHead: (head) => result.heads.push(head),
      onBody: (chunk, start, end) => {
        result.body += latin1.decode(chunk.subarray(start, end));
      },
      onBodyEnd: () => {
        result.ended = true;
      },
    },
    method,
  );
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    // Padding around the read: the reader must stay within [start, end).
    const padded = new Uint8Array(cut - start + 8).fill(0x21);
    padded.set(bytes.subarray(start, cut), 4);
    reader.feed(padded, 4, 4 + cut - start);
    start = cut;
  }
  result.completeAtClose = reader.endOfInput();
  return result;
}

function atEverySplit(text: string, check: (result: Read) => void): void {
  const length = encoder.encode(text).length;
  for (let split = 0; split <= length; split++) check(read(text, [split]));
}

const sseHead =
  "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n";

describe("Http1ResponseReader", () => {
  it("reads a chunked event stream at every split point", () => {
    const text = `${sseHead}7\r\ndata: a\r\nA;ext=1\r\n\ndata: bc\n\r\n0\r\nX-Trailer: 1\r\n\r\n`;
    atEverySplit(text, (result) => {
      expect(result.heads).toHaveLength(1);
      expect(result.heads[0]).toMatchObject({
        status: 200,
        statusText: "OK",
        contentType: "text/event-stream; charset=utf-8",
      });
      expect(result.body).toBe("data: a\ndata: bc\n");
      expect(result.ended).toBe(true);
    });
  });

  it("reads a Content-Length body and stops at its end", () => {
    const text = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA";
    atEverySplit(text, (result) => {
      expect(result.body).toBe("hello");
      expect(result.ended).toBe(true);
    });
  });

  it("reads a body delimited by the end of the connection", () => {
    const text = "HTTP/1.1 200 OK\nContent-Type: text/event-stream\n\ndata: x\n\n";
    atEverySplit(text, (result) => {
      expect(result.heads[0]?.contentType).toBe("text/event-stream");
      expect(result.body).toBe("data: x\n\n");
      expect(result.completeAtClose).toBe(true);
    });
  });

  it("a connection closed inside a chunked body is not complete", () => {
    const result = read(`${sseHead}20\r\ndata: cut`);
    expect(result.body).toBe("data: cut");
    expect(result.ended).toBe(false);
    expect(result.completeAtClose).toBe(false);
  });

  it("skips 1xx heads and reads the real one", () => {
    const text = `HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n${sseHead}0\r\n\r\n`;
    atEverySplit(text, (result) => {
      expect(result.heads.map((head) => head.status)).toEqual([200]);
      expect(result.ended).toBe(true);
    });
  });

  it("reads the headers an event stream needs, several Content-Encoding lines joined", () => {
    const result = read(
      "HTTP/1.1 302 Found\r\nLocation: /next\r\ncontent-encoding: gzip\r\nCONTENT-ENCODING: br\r\nContent-Length: 0\r\n\r\n",
    );
    expect(result.heads[0]).toEqual({
      status: 302,
      statusText: "Found",
      contentType: undefined,
      contentEncoding: "gzip, br",
      location: "/next",
    });
    expect(result.ended).toBe(true);
  });

  it("204, 304 and a response to HEAD have no body", () => {
    expect(read("HTTP/1.1 204 No Content\r\n\r\n").ended).toBe(true);
    expect(read("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n").ended).toBe(true);
    expect(read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", [], "HEAD").ended).toBe(true);
  });

  it("Transfer-Encoding wins over Content-Length; a non-chunked coding reads to the close", () => {
    const chunked = read(
      `HTTP/1.1 200 OK\r\nContent-Length: 2\r\n${sseHead.slice(17)}3\r\nabc\r\n0\r\n\r\n`,
    );
    expect(chunked.body).toBe("abc");
    const gzipOnly = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nrest of it");
    expect(gzipOnly.body).toBe("rest of it");
    expect(gzipOnly.completeAtClose).toBe(true);
  });

  it.each([
    ["not HTTP", "SSH-2.0-OpenSSH\r\n\r\n"],
    ["bad status", "HTTP/1.1 2000 OK\r\n\r\n"],
    ["header without colon", "HTTP/1.1 200 OK\r\nbroken\r\n\r\n"],
    ["bad Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n"],
    ["conflicting Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\n"],
    ["bad chunk size", `${sseHead}zz\r\n`],
    ["chunk size too large", `${sseHead}fffffffffffffff\r\n`],
    ["chunk without CRLF after it", `${sseHead}1\r\nab`],
    ["101 upgrade", "HTTP/1.1 101 Switching Protocols\r\n\r\n"],
  ])("refuses a malformed response: %s", (_name, text) => {
    expect(() => read(text)).toThrow(HttpProtocolError);
  });

  it("refuses a head larger than the bound, however it is cut", () => {
    const huge = `HTTP/1.1 200 OK\r\nX-Big: ${"a".repeat(maxHeadBytes)}\r\n\r\n`;
    expect(() => read(huge)).toThrow(/response head larger than/);
    expect(() => read(huge, [10, 100, 5000, 9000])).toThrow(/response head larger than/);
    // A head with no end that never stops is cut off at the bound as well.
    expect(() => read(`HTTP/1.1 200 OK\r\n${"X: y\r\n".repeat(5000)}`, [9, 3000])).toThrow(
      /response head larger than/,
    );
  });

  it("refuses an endless chunk-size line", () => {
    expect(() => read(`${sseHead}1;${"e".repeat(10_000)}`, [sseHead.length + 50])).toThrow(
      /chunk-size line larger than/,
    );
  });

  it("keeps the status text as sent", () => {
    const reason = "Internal Server Error, and a longer explanation";
    const result = read(`HTTP/1.1 500 ${reason}\r\nContent-Length: 0\r\n\r\n`);
    expect(result.heads[0]?.statusText).toBe(reason);
  });
});
