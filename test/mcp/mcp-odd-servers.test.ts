/** `sse-tool mcp` against servers that answer oddly: an unknown revision, hostile text, GET. */
import { describe, expect, it } from "vitest";
import { runCli, startCli } from "../helpers/cli-process.js";
import { startHandmadeServer } from "./servers/handmade-server.js";

describe("mcp against odd servers", () => {
  it("names a revision it does not know and goes on, frames shown with -v", async () => {
    const server = await startHandmadeServer({ revision: "2099-01-01", get: "405" });
    try {
      const result = await runCli(["mcp", "-v", server.url]);
      expect(result.stderr).toContain(
        'the server speaks revision "2099-01-01", which sse-tool does not know: going on',
      );
      expect(result.stderr).toMatch(/← #1 result \{"protocolVersion":"2099-01-01"/);
      expect(result.stdout).toContain("revision      2099-01-01 (Streamable HTTP)");
      expect(result.stdout).toContain("  t()  a tool");
      expect(result.code).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("escapes what the server says before it reaches the terminal", async () => {
    const server = await startHandmadeServer({
      revision: "2025-06-18",
      get: "405",
      toolDescription: "nice\u001b]52;c;ZXZpbA==\u0007 \u202etxt.exe",
    });
    try {
      const result = await runCli(["mcp", server.url]);
      expect(result.stdout).toContain("  t()  nice\\x1b]52;c;ZXZpbA==\\x07 \\u202etxt.exe");
      expect(result.stdout).not.toContain("\u001b");
      expect(result.stdout).toContain("revision      2025-06-18 (Streamable HTTP)");
      expect(result.stdout).toContain("session       none (stateless server)");
    } finally {
      await server.close();
    }
  });

  it("watch: a server without a stream (GET 405) is fine, said so, exit 0", async () => {
    const server = await startHandmadeServer({ revision: "2025-11-25", get: "405" });
    try {
      const result = await runCli(["mcp", server.url, "watch"]);
      expect(result.stderr).toBe(
        "sse-tool: the server offers no stream of its own (GET got 405): fine, it speaks only in answers\n",
      );
      expect(result.code).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("watch: a JSON body where a stream was expected is explained, exit 1", async () => {
    const server = await startHandmadeServer({ revision: "2025-11-25", get: "json" });
    try {
      const result = await runCli(["mcp", server.url, "watch"]);
      expect(result.stderr).toBe(
        "sse-tool: GET: got application/json where an event stream (text/event-stream) was expected\n",
      );
      expect(result.code).toBe(1);
    } finally {
      await server.close();
    }
  });

  it("a stream where 202 was expected (a notification's answer) is not waited on", async () => {
    const server = await startHandmadeServer({
      revision: "2025-11-25",
      get: "405",
      notificationStream: true,
    });
    try {
      const result = await runCli(["mcp", server.url, "ping"]);
      expect(result.stderr).toBe(
        "sse-tool: POST notifications/initialized: got an event stream where 202 Accepted was expected: not read\n",
      );
      expect(result.stdout).toBe("{}\n");
      expect(result.code).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("watch reconnects after the server's retry: when its stream closes, with Last-Event-ID", async () => {
    const server = await startHandmadeServer({ revision: "2025-11-25", get: "closing" });
    try {
      const watch = startCli(["mcp", server.url, "watch"]);
      await watch.waitForStdout(/note 1[\s\S]*note 2[\s\S]*note 3/);
      watch.kill("SIGINT");
      const result = await watch.exited;
      expect(result.code).toBe(130);
      expect(result.stderr).toContain(
        "sse-tool: GET: the server closed its stream; resuming in 50 ms with Last-Event-ID: 1\n",
      );
      expect(result.stdout.split("note 1")).toHaveLength(2);
      expect(server.lastEventIds.slice(0, 3)).toEqual(["", "1", "2"]);
    } finally {
      await server.close();
    }
  });
});
