/**
 * The summary of a server after the handshake: who it is, what it negotiated, how it answers,
 * and its tools, resources and prompts (every page, following nextCursor up to a bound).
 */
import { McpRpcError } from "./protocol/rpc-error.js";
import type { McpSession } from "./session/session.js";

/** Pages read of one list before stopping (a server could hand out cursors for ever). */
const maxPages = 50;

export interface ToolSummary {
  name: string;
  description?: string;
  arguments: Array<{ name: string; type?: string; required: boolean }>;
}

export interface ServerSummary {
  server: { name?: string; version?: string };
  protocolVersion: string | undefined;
  transport: "streamable-http" | "http+sse";
  session: string | null;
  responses: Array<"json" | "stream">;
  capabilities: Record<string, unknown>;
  instructions?: string;
  tools: ToolSummary[];
  resources: Array<{ uri: string; name?: string; mimeType?: string }>;
  prompts: Array<{ name: string; description?: string; arguments: string[] }>;
}

type Item = Record<string, unknown>;

async function listAll(session: McpSession, method: string, key: string): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = (await session.request(method, cursor === undefined ? undefined : { cursor })) as
      | Record<string, unknown>
      | undefined;
    const list = result?.[key];
    if (Array.isArray(list)) {
      for (const item of list) if (typeof item === "object" && item !== null) items.push(item);
    }
    const next = result?.nextCursor;
    if (typeof next !== "string" || next === "") break;
    cursor = next;
  }
  return items;
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" ? value : undefined;

function toolSummary(tool: Item): ToolSummary {
  const schema = (tool.inputSchema ?? {}) as { properties?: unknown; required?: unknown };
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const properties =
    typeof schema.properties === "object" && schema.properties !== null
      ? (schema.properties as Record<string, { type?: unknown }>)
      : {};
  const description = text(tool.description)?.split("\n", 1)[0];
  return {
    name: String(tool.name),
    ...(description === undefined ? {} : { description }),
    arguments: Object.entries(properties).map(([name, property]) => ({
      name,
      ...(typeof property?.type === "string" ? { type: property.type } : {}),
      required: required.has(name),
    })),
  };
}

export async function gatherSummary(session: McpSession): Promise<ServerSummary> {
  const init = session.initializeResult ?? {};
  const capabilities = (init.capabilities ?? {}) as Record<string, unknown>;
  const serverInfo = (init.serverInfo ?? {}) as Item;
  // A reused session had no handshake here: each list is asked for, and a refusal skipped.
  const reused = session.initializeResult === undefined;
  const list = async (capability: string, method: string, key: string) => {
    if (!reused && !capabilities[capability]) return [];
    try {
      return await listAll(session, method, key);
    } catch (error) {
      if (reused && error instanceof McpRpcError) return [];
      throw error;
    }
  };
  const tools = await list("tools", "tools/list", "tools");
  const resources = await list("resources", "resources/list", "resources");
  const prompts = await list("prompts", "prompts/list", "prompts");
  const instructions = text(init.instructions);
  return {
    server: {
      ...(text(serverInfo.name) === undefined ? {} : { name: text(serverInfo.name) }),
      ...(text(serverInfo.version) === undefined ? {} : { version: text(serverInfo.version) }),
    },
    protocolVersion: session.protocolVersion,
    transport: session.transport === "legacy" ? "http+sse" : "streamable-http",
    session: session.sessionId ?? null,
    responses: [...session.responseKinds],
    capabilities,
    ...(instructions === undefined ? {} : { instructions }),
    tools: tools.map(toolSummary),
    resources: resources.map((resource) => ({
      uri: String(resource.uri),
      ...(text(resource.name) === undefined ? {} : { name: text(resource.name) }),
      ...(text(resource.mimeType) === undefined ? {} : { mimeType: text(resource.mimeType) }),
    })),
    prompts: prompts.map((prompt) => ({
      name: String(prompt.name),
      ...(text(prompt.description) === undefined ? {} : { description: text(prompt.description) }),
      arguments: Array.isArray(prompt.arguments)
        ? prompt.arguments.map((argument: Item) => String(argument?.name))
        : [],
    })),
  };
}
