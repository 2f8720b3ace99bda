/**
 * Issue 14: nothing a client or the input sends takes `serve` down or reaches the terminal raw.
 * Each hostile body is sent to the built binary while a client is connected; after each, that
 * client must still receive a new event. Then the log lines are checked for control sequences.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type CliRunOptions, runCli } from "../helpers/cli-process.js";
import { rawConnect, rawRequest } from "../helpers/raw-http.js";
import { connectSse, type SseConnection, startServeFor } from "../helpers/sse-client.js";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const serve = (args: string[], options?: CliRunOptions) => startServeFor(cleanups, args, options);

/** ~12 KB of JSON nested 6,000 deep: enough to overflow JSON.stringify's stack. */
const deepArray = `${"[".repeat(6000)}${"]".repeat(6000)}`;
const deepObject = `${'{"a":'.repeat(3000)}1${"}".repeat(3000)}`;

/** Whatever escapeForTerminal would have to make visible (LF allowed between lines). */
const terminalControl =
  /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

async function post(url: string, type: string | undefined, body: string | Buffer) {
  // A Blob without a type: fetch sends no Content-Type at all (a string would be text/plain).
  const response = await fetch(url, {
    method: "POST",
    headers: type === undefined ? {} : { "Content-Type": type },
    body: new Blob([typeof body === "string" ? body : new Uint8Array(body)]),
  });
  return { status: response.status, text: await response.text() };
}

/** Publishes one marker event and waits until the existing client has it. */
async function stillStreams(url: string, client: SseConnection, marker: string): Promise<void> {
  expect((await post(url, "text/plain", marker)).status).toBe(202);
  await client.waitUntil(
    () => client.events.some((event) => event.data === marker),
    `the event ${marker}`,
    10_000,
  );
}

describe("crash the server: each hostile body, then the existing client still streams", () => {
  it("publishing", async () => {
    const { url, origin, cli } = await serve(["--no-wait"]);
    const client = await connectSse(url);
    const hostile: Array<[string, string | undefined, string | Buffer, number]> = [
      ["deep array, JSON", "application/json", deepArray, 400],
      ["deep array as data", "application/json", `{"data":${deepArray}}`, 400],
      ["deep object as data", "application/json", `{"data":${deepObject}}`, 400],
      ["deep NDJSON line", "application/x-ndjson", `{"data":"ok"}\n${deepArray}\n`, 400],
      ["pretty-printed deep JSON", "application/json", deepArray.split("").join("\n"), 400],
      ["deep, as text (it is only text)", "text/plain", deepArray, 202],
      ["invalid UTF-8", "application/json", Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 400],
      ["form body", "application/x-www-form-urlencoded", `{"data":${deepArray}}`, 415],
      ["no type", undefined, `{"data":${deepArray}}`, 415],
      ["over 1 MiB", "text/plain", "x".repeat(1024 * 1024 + 1), 413],
    ];
    for (const [name, type, body, status] of hostile) {
      expect((await post(url, type, body)).status, name).toBe(status);
      await stillStreams(url, client, `alive after ${name}`);
    }
    // An upload cut off mid-body, and one that stops sending and never ends.
    const cut = await rawConnect(origin);
    cut.write(
      "POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
        'Content-Length: 100000\r\n\r\n{"data":"cut',
    );
    cut.destroy();
    await stillStreams(url, client, "alive after a cut upload");
    const hanging = await rawConnect(origin);
    hanging.write(
      "POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{",
    );
    await stillStreams(url, client, "alive after a cut upload");
    hanging.destroy();
    await stillStreams(url, client, "alive after a hanging upload closed");
    expect(cli.child.exitCode).toBeNull();
    expect(cli.stderr).not.toMatch(/Maximum call stack|RangeError|unexpected error/);
    client.close();
  });

  it("--llm-fake requests", async () => {
    const { url, origin, cli } = await serve(["--llm-fake", "openai", "--quiet"], {
      stdin: "a fake reply",
    });
    const api = `${origin}/v1/chat/completions`;
    const client = await connectSse(url);
    const hostile: Array<[string, string]> = [
      ["deep array", deepArray],
      ["deep messages", `{"stream":true,"messages":${deepArray}}`],
      ["deep model", `{"stream":true,"messages":[],"model":${deepObject}}`],
      ["deep stream_options", `{"stream":true,"messages":[],"stream_options":${deepObject}}`],
      ["not JSON", "{"],
      ["not an object", "[]"],
    ];
    for (const [name, body] of hostile) {
      const answer = await post(api, "application/json", body);
      expect(answer.status, name).toBe(400);
      expect(JSON.parse(answer.text).error.type).toBe("invalid_request_error");
      await stillStreams(url, client, `alive after ${name}`);
    }
    const cut = await rawConnect(origin);
    cut.write(
      'POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Length: 500\r\n\r\n{"messages":[',
    );
    cut.destroy();
    await stillStreams(url, client, "alive after a cut request");
    // And the fake still answers a good request in full.
    const good = await post(api, "application/json", '{"stream":true,"messages":[]}');
    expect(good.status).toBe(200);
    expect(good.text).toContain("data: [DONE]");
    expect(cli.child.exitCode).toBeNull();
    client.close();
  });
});

describe("terminal-safe logs", () => {
  it("input warnings quoting a line (V8's JSON errors do) are escaped, also the --strict error", async () => {
    // V8 quotes the start of a line it cannot parse: "Unexpected token '\x1b', "\x1b]0;..."".
    const line = "\u001b]0;pwned\u0007\u001b[2J\u202egnp.exe\u009b31m {";
    const warned = await runCli(
      ["serve", "--port", "0", "--no-wait", "--exit-on-end", "--format", "ndjson"],
      {
        stdin: `${line}\n`,
      },
    );
    expect(warned.stderr).toMatch(/<stdin>:1: invalid JSON \(Unexpected token/);
    expect(warned.stderr).toMatch(/\\x1b/);
    expect(warned.stderr).not.toMatch(terminalControl);
    const strict = await runCli(
      ["serve", "--port", "0", "--no-wait", "--strict", "--format", "ndjson"],
      {
        stdin: `${line}\n`,
      },
    );
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/\(--strict\)\n$/);
    expect(strict.stderr).not.toMatch(terminalControl);
  });

  it("a client's Last-Event-ID and Host, and an --llm-fake request's model, reach stderr escaped", async () => {
    const { url, origin, cli } = await serve(["--no-wait"]);
    // A header value is bytes: 0x9b is C1 CSI once read as latin1, as node:http reads it.
    const lastEventId = Buffer.concat([
      Buffer.from("GET /events HTTP/1.1\r\nHost: localhost\r\nLast-Event-ID: x"),
      Buffer.from([0x9b, 0x33, 0x31, 0x6d, 0xe2, 0x80, 0xae]),
      Buffer.from("\r\nConnection: close\r\n\r\n"),
    ]);
    await rawRequest(origin, lastEventId, (text) => text.includes("\r\n\r\n"));
    await cli.waitForStderr(/Last-Event-ID "x.*not in history/);
    const host = Buffer.concat([
      Buffer.from("GET /events HTTP/1.1\r\nHost: evil"),
      Buffer.from([0x9b, 0x32, 0x4a]),
      Buffer.from(".example\r\nConnection: close\r\n\r\n"),
    ]);
    expect((await rawRequest(origin, host)).status).toBe(403);
    await cli.waitForStderr(/403 for GET .* Host "evil/);
    expect(cli.stderr).toContain("\\x9b");
    expect(cli.stderr).not.toMatch(terminalControl);
    expect(url).toContain("/events");

    const fake = await serve(["--llm-fake", "openai"], { stdin: "reply" });
    const model = "\u001b]0;pwned\u0007\u202e\u009b2J";
    const answer = await post(
      `${fake.origin}/v1/chat/completions`,
      "application/json",
      JSON.stringify({ model, stream: true, messages: [] }),
    );
    expect(answer.text).toContain("data: [DONE]");
    await fake.cli.waitForStderr(/streaming \d+ events, model/);
    expect(fake.cli.stderr).toContain("\\x1b]0;pwned\\x07\\u202e\\x9b2J");
    expect(fake.cli.stderr).not.toMatch(terminalControl);
  });
});
