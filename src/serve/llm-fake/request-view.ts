/**
 * What the fake reads from a provider's request: whether it is one (the shape check), the
 * model, whether to stream, the last user message and a tool result at the end, which the
 * script's `match` looks at. Pure; the body's nesting was bounded before it was parsed.
 */
import type { LlmFakeProvider } from "./providers.js";

type Json = Record<string, unknown>;

export interface RequestView {
  model: string;
  stream: boolean;
  /** Gemini without ?alt=sse: a streamed JSON array instead of SSE. */
  jsonArray: boolean;
  /** OpenAI chat: `stream_options.include_usage`. */
  includeUsage: boolean;
  /** The text of the last user message with text ("" when there is none). */
  lastUser: string;
  /** The text of the tool result the request ends with, if it ends with one. */
  toolResult?: string;
}

/** Gemini's paths name the model: /v1beta/models/<model>:streamGenerateContent. */
export const geminiPath =
  /^\/v1(?:beta|alpha)?\/models\/([^/:]+):(streamGenerateContent|generateContent)$/;

/** Why a request body is not the provider's shape, or undefined when it is. */
export function requestProblem(provider: LlmFakeProvider, body: Json): string | undefined {
  switch (provider) {
    case "openai-responses":
      return typeof body.input === "string" || Array.isArray(body.input)
        ? undefined
        : "input: a string or an array is required";
    case "gemini":
      return Array.isArray(body.contents) ? undefined : "contents: an array is required";
    default:
      return Array.isArray(body.messages) ? undefined : "messages: an array is required";
  }
}

const objectAt = (value: unknown): Json | undefined =>
  value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Json)
    : undefined;

const asText = (value: unknown): string =>
  typeof value === "string" ? value : (JSON.stringify(value) ?? "");

/** A message's text: a string, or the `text` of its parts. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => objectAt(part)?.text)
    .filter((text): text is string => typeof text === "string")
    .join("");
}

/** The text of the last user message that has any (a tool result comes as a user message too). */
function lastUserText(list: unknown[]): string {
  for (let i = list.length - 1; i >= 0; i--) {
    const item = objectAt(list[i]);
    if (item?.role !== "user") continue;
    const text = contentText(item.content ?? item.parts);
    if (text !== "") return text;
  }
  return "";
}

/** The tool result the conversation ends with, by the provider's way of sending one. */
function toolResultOf(provider: LlmFakeProvider, last: Json | undefined): string | undefined {
  if (last === undefined) return undefined;
  const parts = Array.isArray(last.content)
    ? last.content
    : Array.isArray(last.parts)
      ? last.parts
      : [];
  const found = (pick: (part: Json) => unknown) => {
    for (const part of parts) {
      const value = objectAt(part) && pick(part as Json);
      if (value !== undefined && value !== null && value !== false) return asText(value);
    }
    return undefined;
  };
  switch (provider) {
    case "openai":
    case "cohere":
      return last.role === "tool" ? contentText(last.content) || asText(last.content) : undefined;
    case "openai-responses":
      return last.type === "function_call_output" ? asText(last.output) : undefined;
    case "anthropic":
      return found((part) =>
        part.type === "tool_result" ? contentText(part.content) || asText(part.content) : undefined,
      );
    case "gemini":
      return found((part) => objectAt(part.functionResponse)?.response);
    case "vercel-ai":
      return found((part) => (part.state === "output-available" ? part.output : undefined));
  }
}

export function requestView(provider: LlmFakeProvider, body: Json, url: URL): RequestView {
  const bodyModel = typeof body.model === "string" ? body.model : "sse-tool-fake";
  const includeUsage = objectAt(body.stream_options)?.include_usage === true;
  const list: unknown[] =
    provider === "gemini"
      ? (body.contents as unknown[])
      : provider === "openai-responses"
        ? Array.isArray(body.input)
          ? body.input
          : [{ role: "user", content: body.input }]
        : (body.messages as unknown[]);
  const lastUser = lastUserText(list);
  const view: RequestView = {
    model: bodyModel,
    // useChat always streams and sends no `stream` flag.
    stream: provider === "vercel-ai" || body.stream === true,
    jsonArray: false,
    includeUsage,
    lastUser,
  };
  const toolResult = toolResultOf(provider, objectAt(list.at(-1)));
  if (toolResult !== undefined) view.toolResult = toolResult;
  if (provider === "gemini") {
    const match = geminiPath.exec(url.pathname);
    view.stream = match?.[2] === "streamGenerateContent";
    view.jsonArray = view.stream && url.searchParams.get("alt") !== "sse";
    view.model = match?.[1] ?? bodyModel;
  }
  return view;
}
