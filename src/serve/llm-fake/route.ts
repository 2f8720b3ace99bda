/**
 * `serve --llm-fake openai|anthropic`: answers the provider's request shape on its path
 * (OpenAI `POST /v1/chat/completions`, Anthropic `POST /v1/messages`) by streaming a fixed
 * reply in that provider's chunk format at a token pace, so front ends can be built offline.
 * The chunks themselves come from the pure src/serve/llm-fake/steps.ts.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { encodeEvent } from "../../sse/encoder.js";
import {
  estimateTokens,
  type LlmFakeOptions,
  type LlmFakeProvider,
  llmFakeSteps,
  tokenizeWordish,
} from "./steps.js";

export interface LlmFakeRouteOptions {
  provider: LlmFakeProvider;
  /** The reply every request gets. */
  replyText: string;
  /** Pause between tokens; undefined keeps the realistic default. */
  tokenDelayMs?: number;
  /** Access-Control-Allow-Origin value, or false. */
  cors: string | false;
  log: (message: string) => void;
}

/** The path each provider's API streams on. */
export const llmFakePaths: Record<LlmFakeProvider, string> = {
  openai: "/v1/chat/completions",
  anthropic: "/v1/messages",
};

/** Upper bound on a request body: a prompt, not an upload. */
const maxRequestBytes = 4 * 1024 ** 2;

type Json = Record<string, unknown>;

function readJsonBody(request: IncomingMessage): Promise<Json | string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxRequestBytes) {
        resolve("request body too large");
        request.destroy();
        return;
      }
      parts.push(chunk);
    });
    request.on("error", () => resolve("request body could not be read"));
    request.on("end", () => {
      try {
        const value: unknown = JSON.parse(Buffer.concat(parts).toString("utf8"));
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
          resolve("request body must be a JSON object");
        } else {
          resolve(value as Json);
        }
      } catch {
        resolve("request body is not valid JSON");
      }
    });
  });
}

function sendError(
  response: ServerResponse,
  provider: LlmFakeProvider,
  status: number,
  message: string,
  cors: string | false,
): void {
  // Each provider's error envelope, so client error handling can be exercised too.
  const body =
    provider === "openai"
      ? { error: { message, type: "invalid_request_error", param: null, code: null } }
      : { type: "error", error: { type: "invalid_request_error", message } };
  response
    .writeHead(status, {
      "Content-Type": "application/json",
      ...(cors === false ? {} : { "Access-Control-Allow-Origin": cors }),
    })
    .end(JSON.stringify(body));
}

function completeReply(
  provider: LlmFakeProvider,
  model: string,
  text: string,
  promptTokens: number,
) {
  const outputTokens = tokenizeWordish(text).length;
  if (provider === "openai") {
    return {
      id: "chatcmpl-fake",
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: outputTokens,
        total_tokens: promptTokens + outputTokens,
      },
    };
  }
  return {
    id: "msg_fake",
    type: "message",
    role: "assistant",
    model,
    content: [{ type: "text", text }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: promptTokens, output_tokens: outputTokens },
  };
}

export function createLlmFakeHandler(
  options: LlmFakeRouteOptions,
): (request: IncomingMessage, response: ServerResponse) => void {
  let requestCount = 0;
  return (request, response) => {
    void (async () => {
      const body = await readJsonBody(request);
      if (typeof body === "string") {
        sendError(response, options.provider, 400, body, options.cors);
        return;
      }
      if (!Array.isArray(body.messages)) {
        sendError(response, options.provider, 400, "messages: an array is required", options.cors);
        return;
      }
      const model = typeof body.model === "string" ? body.model : "sse-tool-fake";
      const promptTokens = estimateTokens(JSON.stringify(body.messages));
      requestCount++;
      const address = request.socket.remoteAddress ?? "?";
      if (body.stream !== true) {
        options.log(`llm-fake: ${address} non-streaming request, model ${model}`);
        response
          .writeHead(200, {
            "Content-Type": "application/json",
            ...(options.cors === false ? {} : { "Access-Control-Allow-Origin": options.cors }),
          })
          .end(
            JSON.stringify(completeReply(options.provider, model, options.replyText, promptTokens)),
          );
        return;
      }
      const streamOptions = body.stream_options as Json | undefined;
      const fakeOptions: LlmFakeOptions = {
        model,
        promptTokens,
        createdSeconds: Math.floor(Date.now() / 1000),
        idSuffix: String(requestCount),
        // OpenAI sends the usage chunk only when asked for it.
        includeUsage: streamOptions?.include_usage === true,
      };
      if (options.tokenDelayMs !== undefined) fakeOptions.tokenDelayMs = options.tokenDelayMs;
      const steps = llmFakeSteps(options.replyText, options.provider, fakeOptions);
      options.log(`llm-fake: ${address} streaming ${steps.length} events, model ${model}`);
      response.writeHead(200, {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-cache",
        Connection: "keep-alive",
        "X-Accel-Buffering": "no",
        ...(options.cors === false ? {} : { "Access-Control-Allow-Origin": options.cors }),
      });
      response.flushHeaders();
      let closed = false;
      response.on("close", () => {
        closed = true;
      });
      for (const step of steps) {
        if (step.delayMs > 0) await sleep(step.delayMs);
        if (closed) return;
        response.write(encodeEvent(step.event));
      }
      response.end();
    })();
  };
}
