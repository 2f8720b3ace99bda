/**
 * The MCP fake read back by the official SDK client: the lists, a tool's canned result with
 * its progress, a resource, a prompt filled in; and the per-request faults (SSE-Tool-Fault)
 * as a client meets them: a stream dropped after its priming event and resumed, a session
 * lost, a bad Accept.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMcpFake, startMcpFake } from "../../../src/index.js";

let fake: RunningMcpFake;

beforeAll(async () => {
  fake = await startMcpFake({
    tools: [
      { name: "hello", description: "Greets", text: "Hello from the fake" },
      {
        name: "slow",
        description: "Takes its time",
        steps: [{ progress: 1, total: 2 }, { waitMs: 100 }, { progress: 2, total: 2 }],
        result: { content: [{ type: "text", text: "done" }], structuredContent: { ok: true } },
      },
    ],
    resources: [{ uri: "file:///a.txt", mimeType: "text/plain", text: "A" }],
    prompts: [
      {
        name: "greet",
        arguments: [{ name: "who", required: true }],
        messages: [{ role: "user", content: { type: "text", text: "Hi {{who}}!" } }],
      },
    ],
  });
});

afterAll(() => fake.close());

async function connect(fault?: string): Promise<Client> {
  const client = new Client({ name: "test", version: "1.0.0" });
  const headers: Record<string, string> = fault === undefined ? {} : { "SSE-Tool-Fault": fault };
  await client.connect(
    new StreamableHTTPClientTransport(new URL(fake.url), { requestInit: { headers } }),
  );
  return client;
}

describe("startMcpFake read by the SDK client", () => {
  it("lists and answers from what it was given", async () => {
    const client = await connect();
    expect(client.getServerVersion()?.name).toBe("sse-tool-mcp-fake");
    const tools = await client.listTools();
    expect(tools.tools.map((tool) => tool.name)).toEqual(["hello", "slow"]);
    expect(tools.tools[0]?.inputSchema).toEqual({ type: "object", properties: {} });
    const hello = await client.callTool({ name: "hello", arguments: { who: "me" } });
    const call = await fake.waitForRequest((request) => request.body?.includes('"hello"') ?? false);
    expect(JSON.parse(call.body!).params.arguments).toEqual({ who: "me" });
    expect(hello.content).toEqual([{ type: "text", text: "Hello from the fake" }]);
    const read = await client.readResource({ uri: "file:///a.txt" });
    expect(read.contents).toEqual([{ uri: "file:///a.txt", mimeType: "text/plain", text: "A" }]);
    const prompt = await client.getPrompt({ name: "greet", arguments: { who: "Ada" } });
    expect(prompt.messages[0]?.content).toEqual({ type: "text", text: "Hi Ada!" });
    await expect(client.callTool({ name: "nope", arguments: {} })).rejects.toThrow(/Unknown tool/);
    await client.close();
  });

  it("sends progress while a tool takes its time", async () => {
    const client = await connect();
    const progress: number[] = [];
    const result = await client.callTool({ name: "slow", arguments: {} }, undefined, {
      onprogress: (update) => progress.push(update.progress),
    });
    expect(progress).toEqual([1, 2]);
    expect(result.structuredContent).toEqual({ ok: true });
    await client.close();
  });

  it("drop-after=1 closes the stream after the priming event; the client resumes it", async () => {
    const client = await connect("drop-after=1");
    const result = await client.callTool({ name: "slow", arguments: {} });
    expect(result.content).toEqual([{ type: "text", text: "done" }]);
    const resumes = fake.requests.filter(
      (request) => request.method === "GET" && request.lastEventId !== undefined,
    );
    expect(resumes.length).toBeGreaterThan(0);
    expect(resumes[0]?.faults).toBe("drop-after=1");
    await client.close();
  });

  it("fail-status=404 loses the session", async () => {
    const client = await connect();
    const transport = client.transport as StreamableHTTPClientTransport;
    const response = await fetch(fake.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json, text/event-stream",
        "Mcp-Session-Id": transport.sessionId!,
        "SSE-Tool-Fault": "fail-first=1, fail-status=404, key=lose-it",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "ping" }),
    });
    expect(response.status).toBe(404);
    await expect(client.ping()).rejects.toThrow(/404|not found/i);
  });

  it("answers 406 to a bad Accept, and to a fault that asks for it", async () => {
    const post = (headers: Record<string, string>) =>
      fetch(fake.url, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...headers },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "initialize",
          params: {
            protocolVersion: "2025-11-25",
            capabilities: {},
            clientInfo: { name: "t", version: "1" },
          },
        }),
      });
    expect((await post({ Accept: "application/json" })).status).toBe(406);
    const faulted = await post({
      Accept: "application/json, text/event-stream",
      "SSE-Tool-Fault": "fail-first=1, fail-status=406, key=accept",
    });
    expect(faulted.status).toBe(406);
    const fine = await post({ Accept: "application/json, text/event-stream" });
    expect(fine.status).toBe(200);
    expect((await fine.json()).result.protocolVersion).toBe("2025-11-25");
  });

  it("reads a fault spec in the URL too, and refuses one it cannot use", async () => {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" });
    const headers = {
      "Content-Type": "application/json",
      Accept: "application/json, text/event-stream",
    };
    const inUrl = await fetch(`${fake.url}?sse-tool-fault=fail-first=1,fail-status=406,key=url`, {
      method: "POST",
      headers,
      body,
    });
    expect(inUrl.status).toBe(406);
    const bad = await fetch(fake.url, {
      method: "POST",
      headers: { ...headers, "SSE-Tool-Fault": "explode=1" },
      body,
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/^bad sse-tool-fault: unknown fault "explode"/);
  });

  it("answers an older client in its revision", async () => {
    const response = await fetch(fake.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-03-26",
          capabilities: {},
          clientInfo: { name: "t", version: "1" },
        },
      }),
    });
    expect((await response.json()).result.protocolVersion).toBe("2025-03-26");
  });

  it("refuses a Host that is not loopback (DNS rebinding)", async () => {
    const { request } = await import("node:http");
    const status = await new Promise<number | undefined>((resolve) => {
      request(fake.url, { method: "POST", headers: { Host: "evil.example" } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      }).end("{}");
    });
    expect(status).toBe(403);
  });
});
