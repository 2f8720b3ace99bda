/**
 * `listen` against servers written by others: one built with the better-sse package (channels,
 * named events, ids, keep-alive comments, its own field layout `data:x` without a space) and
 * an LLM-style streaming endpoint (POST with a JSON body, `data:` chunks of JSON, a final
 * `data: [DONE]`). The built binary runs as a user runs it; every event is checked via --json.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Channel, createChannel, createSession, type Session } from "better-sse";
import { afterEach, describe, expect, it } from "vitest";
import { type CliResult, runCli, startCli } from "../helpers/cli-process.js";
import { startTestServer, type TestServer } from "../helpers/http-test-server.js";

interface JsonEvent {
  time: string;
  event: string;
  id: string;
  data: string;
}

function jsonEvents(result: CliResult): Array<Omit<JsonEvent, "time">> {
  return result.stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const parsed = JSON.parse(line) as JsonEvent;
      expect(Number.isNaN(Date.parse(parsed.time))).toBe(false);
      const { time: _time, ...rest } = parsed;
      return rest;
    });
}

/** Resolves when `channel` has `count` sessions registered. */
function sessionsRegistered(channel: Channel, count: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (channel.sessionCount >= count) {
        channel.off("session-registered", check);
        resolve();
      }
    };
    channel.on("session-registered", check);
    check();
  });
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("listen against a better-sse server", () => {
  it("receives each channel's named events with their ids, exactly", async () => {
    const prices = createChannel();
    const news = createChannel();
    server = await startTestServer({
      "/events": (request, response) => {
        const channelName = new URL(request.url ?? "/", "http://x").searchParams.get("channel");
        void createSession(request, response, { keepAlive: null, retry: 50 }).then((session) =>
          (channelName === "news" ? news : prices).register(session),
        );
      },
    });
    const pricesListener = startCli(["listen", "--json", "-n", "3", `${server.url}/events`]);
    const newsListener = startCli([
      "listen",
      "--json",
      "-n",
      "2",
      `${server.url}/events?channel=news`,
    ]);
    await Promise.all([sessionsRegistered(prices, 1), sessionsRegistered(news, 1)]);

    let messageId = "";
    news.on("broadcast", (_data, eventName, eventId) => {
      if (eventName === "message") messageId = eventId;
    });
    prices.broadcast({ symbol: "ACME", price: 12.5 }, "price", { eventId: "p1" });
    news.broadcast("Grüße, world 👋", "headline", { eventId: "n1" });
    prices.broadcast({ symbol: "ACME", price: 12.75 }, "price", { eventId: "p2" });
    // No name and no id: better-sse sends "message" and a random UUID.
    news.broadcast({ text: "second" });
    prices.broadcast([1, 2, 3], "tick", { eventId: "p3" });

    const [pricesResult, newsResult] = await Promise.all([
      pricesListener.exited,
      newsListener.exited,
    ]);
    expect(pricesResult.code, pricesResult.stderr).toBe(0);
    expect(jsonEvents(pricesResult)).toEqual([
      { event: "price", id: "p1", data: '{"symbol":"ACME","price":12.5}' },
      { event: "price", id: "p2", data: '{"symbol":"ACME","price":12.75}' },
      { event: "tick", id: "p3", data: "[1,2,3]" },
    ]);
    expect(newsResult.code, newsResult.stderr).toBe(0);
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(jsonEvents(newsResult)).toEqual([
      { event: "headline", id: "n1", data: '"Grüße, world 👋"' },
      { event: "message", id: messageId, data: '{"text":"second"}' },
    ]);
  });

  it("reconnects with Last-Event-ID after better-sse ends the response, and resumes", async () => {
    const lastIdsSeen: string[] = [];
    server = await startTestServer({
      "/resume": (request, response) => {
        void createSession(request, response, { keepAlive: null, retry: 50 }).then((session) => {
          lastIdsSeen.push(session.lastId);
          if (session.lastId === "") {
            session.push("one", "step", "1");
            session.push("two", "step", "2");
            response.end();
          } else {
            session.push(`after ${session.lastId}`, "step", "3");
          }
        });
      },
    });
    const result = await runCli(["listen", "--json", "-n", "3", `${server.url}/resume`]);
    expect(result.code, result.stderr).toBe(0);
    expect(jsonEvents(result)).toEqual([
      { event: "step", id: "1", data: '"one"' },
      { event: "step", id: "2", data: '"two"' },
      { event: "step", id: "3", data: '"after 2"' },
    ]);
    expect(lastIdsSeen).toEqual(["", "2"]);
    expect(server.requests[1]?.headers["last-event-id"]).toBe("2");
  });

  it("treats better-sse keep-alive comments as activity for --idle-timeout", async () => {
    const keepAliveBytes = ":\n\n";
    let keepAlivesSent = 0;
    let sessionReady: (session: Session) => void = () => {};
    const ready = new Promise<Session>((resolve) => {
      sessionReady = resolve;
    });
    let onKeepAlive = () => {};
    server = await startTestServer({
      "/idle": (request: IncomingMessage, response: ServerResponse) => {
        const write = response.write.bind(response) as (chunk: unknown) => boolean;
        response.write = ((chunk: unknown) => {
          if (String(chunk) === keepAliveBytes) {
            keepAlivesSent++;
            onKeepAlive();
          }
          return write(chunk);
        }) as typeof response.write;
        void createSession(request, response, { keepAlive: 250, retry: 50 }).then(sessionReady);
      },
    });
    // Idle timeout 1 s, a keep-alive every 0.25 s (room for a busy machine); the event comes
    // only after 6 keep-alives (1.5 s): without the comments counting as bytes received, listen
    // would give up with exit 3 first, and the wait below ends with it.
    const listener = startCli([
      "listen",
      "--json",
      "-n",
      "1",
      "--idle-timeout",
      "1",
      `${server.url}/idle`,
    ]);
    const session = await ready;
    const sixKeepAlives = new Promise<void>((resolve) => {
      onKeepAlive = () => {
        if (keepAlivesSent >= 6) resolve();
      };
    });
    await Promise.race([sixKeepAlives, listener.exited]);
    session.push({ done: true }, "late", "k1");
    const result = await listener.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(jsonEvents(result)).toEqual([{ event: "late", id: "k1", data: '{"done":true}' }]);
  });
});

describe("listen against an LLM-style streaming endpoint", () => {
  const chunkTexts = ["Hel", "lo, ", "wörld ", "👋", "!"];
  const chunks = chunkTexts.map((content, index) =>
    JSON.stringify({
      id: "chatcmpl-1",
      object: "chat.completion.chunk",
      choices: [{ index: 0, delta: index === 0 ? { role: "assistant", content } : { content } }],
    }),
  );

  function llmRoute(received: { body: string; headers: IncomingMessage["headers"] }[]) {
    return (request: IncomingMessage, response: ServerResponse) => {
      let body = "";
      request.setEncoding("utf8");
      request.on("data", (part: string) => {
        body += part;
      });
      request.on("end", () => {
        received.push({ body, headers: request.headers });
        if (request.headers.authorization !== "Bearer sk-test") {
          response.writeHead(401, { "content-type": "application/json" });
          response.end('{"error":{"message":"Incorrect API key provided","type":"invalid_key"}}');
          return;
        }
        response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
        // As these APIs do: `data: <json>` blocks, flushed at arbitrary byte boundaries (here
        // inside the multibyte characters too), then `data: [DONE]`, then the end.
        const stream = Buffer.from(
          `${chunks.map((chunk) => `data: ${chunk}\n\n`).join("")}data: [DONE]\n\n`,
        );
        for (let start = 0; start < stream.length; start += 7) {
          response.write(stream.subarray(start, start + 7));
        }
        response.end();
      });
    };
  }

  it("POSTs the JSON body and shows every chunk and [DONE]", async () => {
    const received: { body: string; headers: IncomingMessage["headers"] }[] = [];
    server = await startTestServer({ "/v1/chat/completions": llmRoute(received) });
    const requestBody = JSON.stringify({
      model: "test-model",
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    });
    const result = await runCli([
      "listen",
      "--json",
      "--no-reconnect",
      "-H",
      "Authorization: Bearer sk-test",
      "-H",
      "Content-Type: application/json",
      "-d",
      requestBody,
      `${server.url}/v1/chat/completions`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(jsonEvents(result)).toEqual([
      ...chunks.map((data) => ({ event: "message", id: "", data })),
      { event: "message", id: "", data: "[DONE]" },
    ]);
    const content = jsonEvents(result)
      .filter((event) => event.data !== "[DONE]")
      .map((event) => JSON.parse(event.data).choices[0].delta.content as string)
      .join("");
    expect(content).toBe("Hello, wörld 👋!");
    expect(received).toHaveLength(1);
    expect(received[0]?.body).toBe(requestBody);
    expect(server.requests[0]?.method).toBe("POST");
    expect(received[0]?.headers["content-type"]).toBe("application/json");
    expect(received[0]?.headers.accept).toBe("text/event-stream");
  });

  it("shows the API's JSON error body and exits 1 without reconnecting", async () => {
    const received: { body: string; headers: IncomingMessage["headers"] }[] = [];
    server = await startTestServer({ "/v1/chat/completions": llmRoute(received) });
    const result = await runCli([
      "listen",
      "--json",
      "-d",
      '{"model":"m","stream":true}',
      `${server.url}/v1/chat/completions`,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("401");
    expect(result.stderr).toContain("Incorrect API key provided");
    expect(received).toHaveLength(1);
  });
});
