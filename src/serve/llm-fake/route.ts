/**
 * `serve --llm-fake <provider>`: answers the provider's request on its path by streaming a fixed
 * reply in that provider's format at a token pace, so front ends can be built offline:
 * - openai            POST /v1/chat/completions
 * - openai-responses  POST /v1/responses
 * - anthropic         POST /v1/messages
 * - gemini            POST /v1beta/models/<model>:streamGenerateContent (SSE with ?alt=sse, else
 *                     a streamed JSON array, as Gemini does) and :generateContent
 * - vercel-ai         POST /api/chat (what useChat posts to; always streams)
 * The events come from the pure steps.ts, the other bodies from replies.ts.
 *
 * When the server starts closing (SIGINT/SIGTERM), an answer being streamed skips its
 * remaining pauses: the client gets the whole reply and the provider's end marker at once.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { encodeEvent } from "../../sse/encoder.js";
import { jsonNestsDeeperThan, maxJsonDepth } from "../../sse/json-depth.js";
import { readRequestBody } from "../http/read-body.js";
import type { Route } from "../http/sse-server.js";
import { completeReply, errorEnvelope, requestProblem } from "./replies.js";
import {
  estimateTokens,
  type FakeStreamStep,
  type LlmFakeOptions,
  type LlmFakeProvider,
  type LlmFakeStall,
  llmFakeSteps,
} from "./steps.js";

export interface LlmFakeRouteOptions {
  provider: LlmFakeProvider;
  /** The reply every request gets. */
  replyText: string;
  /** Pause between tokens; undefined keeps the realistic default. */
  tokenDelayMs?: number;
  /** Pause before the first token; undefined keeps the default. */
  firstTokenDelayMs?: number;
  /** Pauses injected at token positions. */
  stalls?: readonly LlmFakeStall[];
  /** Aborted when the server closes: answers in progress are finished without pauses. */
  finishNow: AbortSignal;
  log: (message: string) => void;
}

/** The path each provider's API streams on, as a client would call it (shown at start). */
export const llmFakePaths: Record<LlmFakeProvider, string> = {
  openai: "/v1/chat/completions",
  "openai-responses": "/v1/responses",
  anthropic: "/v1/messages",
  gemini: "/v1beta/models/sse-tool-fake:streamGenerateContent?alt=sse",
  "vercel-ai": "/api/chat",
};

/** Gemini's paths name the model: /v1beta/models/<model>:streamGenerateContent. */
const geminiPath =
  /^\/v1(?:beta|alpha)?\/models\/([^/:]+):(streamGenerateContent|generateContent)$/;

/** Upper bound on a request body: a prompt, not an upload. */
const maxRequestBytes = 4 * 1024 ** 2;

type Json = Record<string, unknown>;

/** The routes to add to the server for the provider. */
export function llmFakeRoutes(options: LlmFakeRouteOptions): Route[] {
  const handle = createLlmFakeHandler(options);
  const path = llmFakePaths[options.provider].split("?")[0]!;
  if (options.provider !== "gemini") return [{ method: "POST", path, handle }];
  return [{ method: "POST", path, matchPath: (pathname) => geminiPath.test(pathname), handle }];
}

/** How the request asks to be answered. */
interface Ask {
  stream: boolean;
  /** Gemini without ?alt=sse: a streamed JSON array instead of SSE. */
  jsonArray: boolean;
  model: string;
}

function askOf(provider: LlmFakeProvider, body: Json, url: URL): Ask {
  const bodyModel = typeof body.model === "string" ? body.model : "sse-tool-fake";
  if (provider === "gemini") {
    const match = geminiPath.exec(url.pathname);
    const stream = match?.[2] === "streamGenerateContent";
    return {
      stream,
      jsonArray: stream && url.searchParams.get("alt") !== "sse",
      model: match?.[1] ?? bodyModel,
    };
  }
  // useChat always streams and sends no `stream` flag.
  return {
    stream: provider === "vercel-ai" || body.stream === true,
    jsonArray: false,
    model: bodyModel,
  };
}

export function createLlmFakeHandler(
  options: LlmFakeRouteOptions,
): (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void> {
  let requestCount = 0;
  const sendJson = (response: ServerResponse, status: number, body: Json) => {
    response.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
  };
  const badRequest = (response: ServerResponse, message: string) =>
    sendJson(response, 400, errorEnvelope(options.provider, 400, message));
  return async (request, response, url) => {
    const read = await readJsonBody(request);
    if (read === undefined) return;
    if (typeof read === "string") {
      if (read === tooLargeMessage) response.setHeader("Connection", "close");
      badRequest(response, read);
      return;
    }
    const { body, bytes } = read;
    const problem = requestProblem(options.provider, body);
    if (problem !== undefined) {
      badRequest(response, problem);
      return;
    }
    const ask = askOf(options.provider, body, url);
    const promptTokens = estimateTokens(bytes);
    const createdSeconds = Math.floor(Date.now() / 1000);
    requestCount++;
    const address = request.socket.remoteAddress ?? "?";
    if (!ask.stream) {
      options.log(`llm-fake: ${address} non-streaming request, model ${ask.model}`);
      const reply = completeReply(options.provider, {
        model: ask.model,
        text: options.replyText,
        promptTokens,
        createdSeconds,
      });
      sendJson(response, 200, reply);
      return;
    }
    const fakeOptions: LlmFakeOptions = {
      model: ask.model,
      promptTokens,
      createdSeconds,
      idSuffix: String(requestCount),
      // OpenAI sends the usage chunk only when asked for it.
      includeUsage: (body.stream_options as Json | undefined)?.include_usage === true,
    };
    if (options.tokenDelayMs !== undefined) fakeOptions.tokenDelayMs = options.tokenDelayMs;
    if (options.firstTokenDelayMs !== undefined) {
      fakeOptions.firstTokenDelayMs = options.firstTokenDelayMs;
    }
    if (options.stalls !== undefined) fakeOptions.stalls = options.stalls;
    const steps = llmFakeSteps(options.replyText, options.provider, fakeOptions);
    options.log(`llm-fake: ${address} streaming ${steps.length} events, model ${ask.model}`);
    await sendSteps(response, steps, ask.jsonArray, options.provider, options.finishNow);
  };
}

async function sendSteps(
  response: ServerResponse,
  steps: FakeStreamStep[],
  jsonArray: boolean,
  provider: LlmFakeProvider,
  finishNow: AbortSignal,
): Promise<void> {
  response.writeHead(200, {
    "Content-Type": jsonArray
      ? "application/json; charset=utf-8"
      : "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache",
    Connection: "keep-alive",
    "X-Accel-Buffering": "no",
    ...(provider === "vercel-ai" ? { "x-vercel-ai-ui-message-stream": "v1" } : {}),
  });
  response.flushHeaders();
  let closed = false;
  response.on("close", () => {
    closed = true;
  });
  // The pace is kept against a clock, so timer lateness does not add up over a long reply.
  const origin = performance.now();
  let dueMs = 0;
  for (const [i, step] of steps.entries()) {
    dueMs += step.delayMs;
    const waitMs = dueMs - (performance.now() - origin);
    if (waitMs > 0 && !finishNow.aborted) {
      await sleep(waitMs, undefined, { signal: finishNow }).catch(() => {});
    }
    if (closed) return;
    if (jsonArray) response.write(`${i === 0 ? "[" : ",\r\n"}${step.event.data ?? "{}"}`);
    else response.write(encodeEvent(step.event));
  }
  if (jsonArray) response.write(steps.length === 0 ? "[]" : "]");
  response.end();
}

const tooLargeMessage = "request body too large";

/**
 * The request's JSON object, or the message for a 400, or undefined when the client went away.
 * Nesting is checked before parsing: nothing later may recurse over what a client sent.
 */
async function readJsonBody(
  request: IncomingMessage,
): Promise<{ body: Json; bytes: number } | string | undefined> {
  const read = await readRequestBody(request, maxRequestBytes);
  if (read === "aborted") return undefined;
  if (read === "too-large") return tooLargeMessage;
  const text = read.toString("utf8");
  if (jsonNestsDeeperThan(text)) return `request body nested deeper than ${maxJsonDepth} levels`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "request body is not valid JSON";
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return "request body must be a JSON object";
  }
  return { body: value as Json, bytes: read.length };
}
