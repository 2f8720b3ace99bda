/**
 * `sse-tool mcp` and what comes on a request's event stream: notifications as they arrive,
 * server-to-client requests answered, a stream cut before its response resumed, -v frames.
 */
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startCli } from "../helpers/cli-process.js";
import { type McpTestServer, startMcpTestServer } from "./servers/sdk-server.js";

let server: McpTestServer;
beforeAll(async () => {
  server = await startMcpTestServer({ sessions: true, json: false });
});
afterAll(async () => {
  await server.close();
});

describe("mcp on an event stream", () => {
  it("shows progress and log notifications with their time, escaped, and the result on stdout", async () => {
    const result = await runCli(["mcp", server.url, "call", "long-task", "steps:=2"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("done\n");
    expect(result.stderr).toMatch(
      /← notifications\/progress 1\/2 step 1 {2}\(event \S+, stream, \+\d+ms\)/,
    );
    expect(result.stderr).toMatch(/← notifications\/progress 2\/2 step 2/);
    // The server's escape sequence is shown, not obeyed.
    expect(result.stderr).toContain("← notifications/message [info] half way \\x1b[31mred");
    expect(result.stderr).not.toContain("\u001b");
  });

  it("resumes a stream closed before the response with GET and Last-Event-ID, nothing shown twice", async () => {
    const result = await runCli(["mcp", server.url, "call", "cut-stream"]);
    expect(result.stdout).toBe("resumed fine\n");
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /the stream closed before the response; resuming in 50 ms with Last-Event-ID: \S+/,
    );
    expect(result.stderr.split("before the cut").length).toBe(2);
    expect(result.stderr.split("after the cut").length).toBe(2);
  });

  it("answers ping and refuses sampling and roots without --replies, so the server goes on", async () => {
    const result = await runCli(["mcp", server.url, "call", "ask-client"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      "sampling/createMessage: refused\nroots/list: refused\nping: ok {}\n",
    );
    expect(result.stderr).toMatch(/← #\d+ sampling\/createMessage/);
    expect(result.stderr).toMatch(/→ #\d+ error -32601: sse-tool does not support roots\/list/);
    expect(result.stderr).toMatch(/→ #\d+ result \{\}/);
  });

  it("answers with the --replies file's results", async () => {
    const file = join(tmpdir(), `sse-tool-replies-${process.pid}.json`);
    await writeFile(file, JSON.stringify({ "roots/list": { roots: [{ uri: "file:///work" }] } }));
    const result = await runCli(["mcp", "--replies", file, server.url, "call", "ask-client"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('roots/list: ok {"roots":[{"uri":"file:///work"}]}');
  });

  it("shows every HTTP exchange, frame and message with -v", async () => {
    const result = await runCli(["mcp", "-v", server.url, "call", "add", "a:=1", "b:=1"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("2\n");
    expect(result.stderr).toContain(`> POST ${server.url}`);
    expect(result.stderr).toContain("> accept: application/json, text/event-stream");
    expect(result.stderr).toContain("> mcp-protocol-version: 2025-11-25");
    expect(result.stderr).toContain("< HTTP/1.1 200 OK");
    expect(result.stderr).toMatch(/→ #1 initialize \{"protocolVersion":"2025-11-25"/);
    expect(result.stderr).toMatch(/\[POST #2\] id=\S+ event=message data=\{"result"/);
    expect(result.stderr).toMatch(/← #2 result \{"content":\[\{"type":"text","text":"2"\}\]\}/);
    expect(result.stderr).toContain(`> DELETE ${server.url}`);
  });

  it("prints a tool's isError result and exits 1", async () => {
    const result = await runCli(["mcp", server.url, "call", "fails"]);
    expect(result.stdout).toBe("it broke\n");
    expect(result.stderr).toContain("sse-tool: the tool fails reported an error (isError: true)");
    expect(result.code).toBe(1);
  });

  it("shows images as type and size", async () => {
    const result = await runCli(["mcp", server.url, "call", "picture"]);
    expect(result.stdout).toBe("here:\n[image image/png, 300 B]\n");
  });

  it("explains a JSON-RPC error and exits 1", async () => {
    const result = await runCli(["mcp", server.url, "no/such-method"]);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^sse-tool: no\/such-method: JSON-RPC error -32601: /m);
    expect(result.code).toBe(1);
  });

  it("watches the server's stream until Ctrl-C (exit 130)", async () => {
    const cli = startCli(["mcp", "-v", server.url, "watch"]);
    await cli.waitForStderr(/> GET [^\n]*\n(?:[^\n]*\n)*< HTTP\/1\.1 200 OK/);
    cli.kill("SIGINT");
    const result = await cli.exited;
    expect(result.code).toBe(130);
  });

  it("watch --json prints what the server sends on its own stream, one JSON object each", async () => {
    const kept = await runCli(["mcp", "--keep-session", server.url, "ping"]);
    const id = /session kept: (\S+)/.exec(kept.stderr)?.[1];
    expect(id).toBeDefined();
    const watch = startCli(["mcp", "-v", "--json", "--session", id!, server.url, "watch"]);
    await watch.waitForStderr(/> GET [^\n]*\n(?:[^\n]*\n)*< HTTP\/1\.1 200 OK/);
    const call = await runCli([
      "mcp",
      "--keep-session",
      "--session",
      id!,
      server.url,
      "call",
      "broadcast",
    ]);
    expect(call.stdout).toBe("sent\n");
    const line = await watch.waitForStdout("to all watchers");
    expect(JSON.parse(line.trim())).toMatchObject({
      jsonrpc: "2.0",
      method: "notifications/message",
      params: { level: "notice", data: "to all watchers" },
    });
    watch.kill("SIGINT");
    expect((await watch.exited).code).toBe(130);
  });

  it("on Ctrl-C during a call, still ends the session, and exits 130", async () => {
    const before = server.deleted.length;
    const cli = startCli(["mcp", server.url, "call", "slow"]);
    await cli.waitForStderr("[info] waiting");
    cli.kill("SIGINT");
    const result = await cli.exited;
    expect(result.code).toBe(130);
    expect(result.stdout).toBe("");
    expect(server.deleted.length).toBe(before + 1);
  });

  it("gives up at --timeout with exit 3, and still ends the session", async () => {
    const before = server.deleted.length;
    const result = await runCli(["mcp", "--timeout", "500ms", server.url, "call", "slow"]);
    expect(result.stderr).toContain("[info] waiting");
    expect(result.stderr).toContain("sse-tool: no answer within --timeout 0.5 s\n");
    expect(result.code).toBe(3);
    expect(server.deleted.length).toBe(before + 1);
  });

  it("watch --timeout ends the watch with exit 0", async () => {
    const result = await runCli(["mcp", "--timeout", "300ms", server.url, "watch"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("renews an expired session once by itself", async () => {
    const result = await runCli([
      "mcp",
      "--session",
      "no-such-session",
      server.url,
      "call",
      "add",
      "a:=1",
      "b:=2",
    ]);
    expect(result.stdout).toBe("3\n");
    expect(result.stderr).toContain(
      "the session no-such-session expired (HTTP 404): initializing a new one",
    );
    expect(result.code).toBe(0);
  });
});

describe("mcp against the HTTP+SSE transport of 2024-11-05", () => {
  it("falls back to GET when POST initialize gets 405, and calls a tool", async () => {
    const summary = await runCli(["mcp", `${server.origin}/legacy`]);
    expect(summary.code).toBe(0);
    expect(summary.stdout).toContain("revision      2024-11-05 (HTTP+SSE transport)");
    expect(summary.stderr).toContain(
      "POST initialize refused (HTTP 405): trying the HTTP+SSE transport",
    );
    const call = await runCli(["mcp", `${server.origin}/legacy`, "call", "add", "a:=4", "b:=4"]);
    expect(call.stdout).toBe("8\n");
    expect(call.code).toBe(0);
  });
});
