/**
 * What the MCP fake answers to each request method, from its tools file: the handshake's
 * revision and capabilities, the lists, a resource read, a prompt filled in, and a tool call's
 * steps and result. Pure: the route sends what these return.
 */
import packageJson from "../../../package.json" with { type: "json" };
import {
  invalidParams,
  type JsonRpcError,
  methodNotFound,
  resourceNotFound,
} from "../../mcp-protocol/jsonrpc.js";
import { newestRevision, streamableRevisions } from "../../mcp-protocol/revisions.js";
import type { McpFakeTool, McpFakeToolStep, McpFakeTools } from "./tools-file.js";

export type Answer = { result: Record<string, unknown> } | { error: JsonRpcError };

/** The client's revision when this server speaks it, else the newest (the client decides). */
export function chooseRevision(offered: unknown): string {
  return typeof offered === "string" && (streamableRevisions as readonly string[]).includes(offered)
    ? offered
    : newestRevision;
}

export function initializeResult(tools: McpFakeTools, offered: unknown): Record<string, unknown> {
  const capabilities: Record<string, object> = {
    tools: { listChanged: false },
    logging: {},
    completions: {},
  };
  if (tools.resources !== undefined) {
    capabilities.resources = { subscribe: true, listChanged: false };
  }
  if (tools.prompts !== undefined) capabilities.prompts = { listChanged: false };
  return {
    protocolVersion: chooseRevision(offered),
    capabilities,
    serverInfo: {
      name: tools.server?.name ?? "sse-tool-mcp-fake",
      version: tools.server?.version ?? packageJson.version,
    },
    ...(tools.instructions === undefined ? {} : { instructions: tools.instructions }),
  };
}

const without = <T extends object>(item: T, keys: string[]) =>
  Object.fromEntries(Object.entries(item).filter(([key]) => !keys.includes(key)));

/** The answer to every method but `initialize` and `tools/call`. */
export function answerMethod(
  tools: McpFakeTools,
  method: string,
  params: Record<string, unknown> | undefined,
): Answer {
  switch (method) {
    case "ping":
    case "logging/setLevel":
    case "resources/subscribe":
    case "resources/unsubscribe":
      return { result: {} };
    case "tools/list":
      return {
        result: {
          tools: (tools.tools ?? []).map((tool) => ({
            inputSchema: { type: "object", properties: {} },
            ...without(tool, ["result", "text", "steps"]),
          })),
        },
      };
    case "resources/list":
      return {
        result: {
          resources: (tools.resources ?? []).map((resource) => ({
            name: resource.uri,
            ...without(resource, ["text", "blob"]),
          })),
        },
      };
    case "resources/templates/list":
      return { result: { resourceTemplates: [] } };
    case "resources/read": {
      const resource = tools.resources?.find((candidate) => candidate.uri === params?.uri);
      if (resource === undefined) {
        return {
          error: { code: resourceNotFound, message: `Resource not found: ${String(params?.uri)}` },
        };
      }
      const body =
        resource.blob === undefined ? { text: resource.text ?? "" } : { blob: resource.blob };
      return {
        result: {
          contents: [
            {
              uri: resource.uri,
              ...(resource.mimeType ? { mimeType: resource.mimeType } : {}),
              ...body,
            },
          ],
        },
      };
    }
    case "prompts/list":
      return {
        result: { prompts: (tools.prompts ?? []).map((prompt) => without(prompt, ["messages"])) },
      };
    case "prompts/get":
      return getPrompt(tools, params);
    case "completion/complete":
      return { result: { completion: { values: [], hasMore: false } } };
    default:
      return { error: { code: methodNotFound, message: `Method not found: ${method}` } };
  }
}

/** `{{name}}` in a prompt's texts, linear: the text is split on the braces, never searched back. */
function fillIn(text: string, values: Record<string, unknown>): string {
  return text
    .split("{{")
    .map((part, i) => {
      if (i === 0) return part;
      const close = part.indexOf("}}");
      if (close < 0) return `{{${part}`;
      const name = part.slice(0, close).trim();
      const value = Object.hasOwn(values, name)
        ? String(values[name])
        : `{{${part.slice(0, close)}}}`;
      return `${value}${part.slice(close + 2)}`;
    })
    .join("");
}

/** Every string in a prompt's message filled in (the file's nesting is bounded, checked). */
function fillInAll<T>(value: T, values: Record<string, unknown>): T {
  if (typeof value === "string") return fillIn(value, values) as T;
  if (Array.isArray(value)) return value.map((item) => fillInAll(item, values)) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, fillInAll(item, values)]),
    ) as T;
  }
  return value;
}

function getPrompt(tools: McpFakeTools, params: Record<string, unknown> | undefined): Answer {
  const prompt = tools.prompts?.find((candidate) => candidate.name === params?.name);
  if (prompt === undefined) {
    return { error: { code: invalidParams, message: `Unknown prompt: ${String(params?.name)}` } };
  }
  const values = (params?.arguments ?? {}) as Record<string, unknown>;
  for (const argument of prompt.arguments ?? []) {
    if (argument.required && !Object.hasOwn(values, argument.name)) {
      return {
        error: { code: invalidParams, message: `Missing required argument: ${argument.name}` },
      };
    }
  }
  const messages = prompt.messages.map((message) => fillInAll(message, values));
  return {
    result: { ...(prompt.description ? { description: prompt.description } : {}), messages },
  };
}

/** A tool call: the tool's steps then its result, or the error for an unknown tool. */
export function planToolCall(
  tools: McpFakeTools,
  params: Record<string, unknown> | undefined,
):
  | { tool: McpFakeTool; steps: McpFakeToolStep[]; result: Record<string, unknown> }
  | { error: JsonRpcError } {
  const tool = tools.tools?.find((candidate) => candidate.name === params?.name);
  if (tool === undefined) {
    return { error: { code: invalidParams, message: `Unknown tool: ${String(params?.name)}` } };
  }
  const result = tool.result ?? {
    content: [{ type: "text", text: tool.text ?? `${tool.name} done` }],
  };
  return { tool, steps: tool.steps ?? [], result: { content: [], ...result } };
}

/** The notification one step sends, or undefined (a wait, a close, progress nobody asked for). */
export function stepNotification(
  step: McpFakeToolStep,
  progressToken: unknown,
): { method: string; params: Record<string, unknown> } | undefined {
  if ("progress" in step) {
    if (typeof progressToken !== "string" && typeof progressToken !== "number") return undefined;
    return {
      method: "notifications/progress",
      params: {
        progressToken,
        progress: step.progress,
        ...(step.total === undefined ? {} : { total: step.total }),
        ...(step.message === undefined ? {} : { message: step.message }),
      },
    };
  }
  if ("log" in step) {
    return {
      method: "notifications/message",
      params: { level: step.level ?? "info", logger: "sse-tool-mcp-fake", data: step.log },
    };
  }
  return undefined;
}
