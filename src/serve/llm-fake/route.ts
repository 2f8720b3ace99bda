/**
 * The fake provider's HTTP route: each request is checked for the provider's shape, answered
 * with the scripted reply it matches (or the next one in turn): an HTTP error with the
 * provider's error body, the whole reply as JSON when the request did not ask to stream, or
 * the reply streamed in the provider's format at the script's pace:
 * - openai            POST /v1/chat/completions
 * - openai-responses  POST /v1/responses
 * - anthropic         POST /v1/messages
 * - gemini            POST /v1beta/models/<model>:streamGenerateContent (SSE with ?alt=sse, else
 *                     a streamed JSON array, as Gemini does) and :generateContent
 * - cohere            POST /v2/chat
 * - vercel-ai         POST /api/chat (what useChat posts to; always streams)
 *
 * When the server starts closing (SIGINT/SIGTERM), an answer being streamed skips its
 * remaining pauses: the client gets the whole reply and the provider's end marker at once.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { setImmediate as nextTurn, setTimeout as sleep } from "node:timers/promises";
import { encodeEvent } from "../../sse/encoder.js";
import { jsonNestsDeeperThan, maxJsonDepth } from "../../sse/json-depth.js";
import { readRequestBody } from "../http/read-body.js";
import type { Route } from "../http/route.js";
import { ReplyChooser } from "./choose.js";
import type { FakeStreamStep } from "./pace.js";
import { estimateTokens, planReply } from "./plan.js";
import type { LlmFakeProvider } from "./providers.js";
import { geminiPath, type RequestView, requestProblem, requestView } from "./request-view.js";
import type { LlmFakeReply, LlmFakeScript } from "./script.js";
import { paceSettings, replySteps } from "./steps.js";
import { defaultErrorMessage } from "./wire/format.js";
import { wireFormats } from "./wire/formats.js";

export interface LlmFakeRouteOptions {
  provider: LlmFakeProvider;
  script: LlmFakeScript;
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
  cohere: "/v2/chat",
  "vercel-ai": "/api/chat",
};

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

const sendJson = (response: ServerResponse, status: number, body: Json, headers = {}) => {
  response
    .writeHead(status, { "Content-Type": "application/json", ...headers })
    .end(JSON.stringify(body));
};

export function createLlmFakeHandler(
  options: LlmFakeRouteOptions,
): (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void> {
  const { provider, script } = options;
  const wire = wireFormats[provider];
  const chooser = new ReplyChooser(script.replies);
  let requestCount = 0;
  const fail = (response: ServerResponse, status: number, message: string, headers = {}) =>
    sendJson(response, status, wire.errorBody(status, message), headers);
  return async (request, response, url) => {
    const read = await readJsonBody(request);
    if (read === undefined) return;
    if (typeof read === "string") {
      if (read === tooLargeMessage) response.setHeader("Connection", "close");
      fail(response, 400, read);
      return;
    }
    const { body, bytes } = read;
    const problem = requestProblem(provider, body);
    if (problem !== undefined) {
      fail(response, 400, problem);
      return;
    }
    const view = requestView(provider, body, url);
    requestCount++;
    const address = request.socket.remoteAddress ?? "?";
    const reply = chooser.choose(view);
    if (reply === undefined) {
      options.log(`llm-fake: ${address} no scripted reply matches`);
      fail(response, 500, "sse-tool llm-fake: no scripted reply matches this request");
      return;
    }
    if (reply.httpError !== undefined) {
      const { status, message, retryAfterSeconds } = reply.httpError;
      options.log(`llm-fake: ${address} answered with HTTP ${status}, model ${view.model}`);
      const headers = retryAfterSeconds === undefined ? {} : { "Retry-After": retryAfterSeconds };
      fail(response, status, message ?? defaultErrorMessage(status), headers);
      return;
    }
    const context = {
      model: view.model,
      promptTokens: estimateTokens(bytes),
      created: Math.floor(Date.now() / 1000),
      idSuffix: String(requestCount),
      // OpenAI sends the usage chunk only when asked for it.
      includeUsage: view.includeUsage,
    };
    if (!view.stream || reply.whole === true) {
      options.log(`llm-fake: ${address} answered whole, model ${view.model}`);
      answerWhole(response, reply, wire.complete(planReply(reply, context)), fail);
      return;
    }
    const settings = paceSettings(
      { ...script.pace, ...reply.pace },
      (script.seed ?? 1) + requestCount - 1,
    );
    const steps = replySteps(reply, provider, context, settings);
    options.log(`llm-fake: ${address} streaming ${steps.length} events, model ${view.model}`);
    await sendSteps(response, steps, view, provider, reply.splitJson === true, options.finishNow);
  };
}

/** The whole reply; a scripted mid-stream error is a 500, a malformed chunk a cut body. */
function answerWhole(
  response: ServerResponse,
  reply: LlmFakeReply,
  body: Json,
  fail: (response: ServerResponse, status: number, message: string) => void,
): void {
  if (reply.error !== undefined) {
    fail(response, 500, reply.error.message);
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(200, { "Content-Type": "application/json" });
  response.end(reply.malformed === undefined ? text : text.slice(0, Math.floor(text.length / 2)));
}

async function sendSteps(
  response: ServerResponse,
  steps: FakeStreamStep[],
  view: RequestView,
  provider: LlmFakeProvider,
  splitJson: boolean,
  finishNow: AbortSignal,
): Promise<void> {
  const { jsonArray } = view;
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
    const text = jsonArray
      ? `${i === 0 ? "[" : ",\r\n"}${step.event.data ?? "{}"}`
      : encodeEvent(step.event);
    if (splitJson) await writeSplit(response, text);
    else response.write(text);
  }
  if (closed) return;
  if (jsonArray) response.write(steps.length === 0 ? "[]" : "]");
  response.end();
}

/**
 * Writes the text in two pieces a moment apart (two TCP writes), cut halfway through its JSON
 * in bytes: a character's UTF-8 bytes may be cut too, as on the real network.
 */
async function writeSplit(response: ServerResponse, text: string): Promise<void> {
  const bytes = Buffer.from(text);
  const open = bytes.indexOf("{");
  if (open === -1) {
    response.write(bytes);
    return;
  }
  const cut = open + Math.max(1, Math.floor((bytes.length - open) / 2));
  response.write(bytes.subarray(0, cut));
  await sleep(1);
  await nextTurn();
  response.write(bytes.subarray(cut));
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
