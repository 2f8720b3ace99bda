/**
 * How messages, tool results and the summary read in the pretty view. Pure: lines out, not
 * escaped (the caller writes every line through the one escaper).
 */
import { formatBytes } from "../../terminal/units.js";
import type { MessageSeen } from "../session/observer.js";

/** Longest params or result shown on a message line. */
const maxShownJson = 200;

export function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? "";
  return text.length > maxShownJson ? `${text.slice(0, maxShownJson)}…` : text;
}

/** One message as a line: direction, id, method, how it came, its time. */
export function formatMessage(seen: MessageSeen): string {
  const arrow = seen.direction === "sent" ? "→" : "←";
  const where = [
    seen.eventId === undefined ? "" : `event ${seen.eventId}`,
    seen.via === "stream" ? "stream" : seen.via === "json" ? "json" : "",
    seen.sinceRequestMs === undefined ? "" : `+${seen.sinceRequestMs}ms`,
  ]
    .filter((part) => part !== "")
    .join(", ");
  const tail = where === "" ? "" : `  (${where})`;
  const { kind, message } = seen.message;
  if (kind === "request") {
    const params = message.params === undefined ? "" : ` ${shortJson(message.params)}`;
    return `${arrow} #${message.id} ${message.method}${params}${tail}`;
  }
  if (kind === "notification") {
    return `${arrow} ${message.method}${notificationDetail(message.method, message.params)}${tail}`;
  }
  const id = message.id === null ? "null" : `#${message.id}`;
  const body = message.error
    ? `error ${message.error.code}: ${message.error.message}`
    : `result ${shortJson(message.result)}`;
  return `${arrow} ${id} ${body}${tail}`;
}

/** Progress as `3/10 message`, a log line as `[level] data`; other params as JSON. */
function notificationDetail(method: string, params: Record<string, unknown> | undefined): string {
  if (params === undefined) return "";
  if (method === "notifications/progress") {
    const total = params.total === undefined ? "" : `/${String(params.total)}`;
    const text = typeof params.message === "string" ? ` ${params.message}` : "";
    return ` ${String(params.progress)}${total}${text}`;
  }
  if (method === "notifications/message") {
    const data = typeof params.data === "string" ? params.data : shortJson(params.data);
    return ` [${String(params.level)}] ${data}`;
  }
  return ` ${shortJson(params)}`;
}

interface ContentItem {
  type?: unknown;
  text?: unknown;
  data?: unknown;
  mimeType?: unknown;
  uri?: unknown;
  resource?: { uri?: unknown; text?: unknown; blob?: unknown };
}

/** A tool result's content as text: text items as they are, media as type and size. */
export function formatToolResult(result: unknown): string {
  const record = (result ?? {}) as { content?: unknown; structuredContent?: unknown };
  if (!Array.isArray(record.content) || record.content.length === 0) {
    return JSON.stringify(record.structuredContent ?? result, null, 2);
  }
  return (record.content as ContentItem[]).map(formatContentItem).join("\n");
}

function formatContentItem(item: ContentItem): string {
  if (item.type === "text" && typeof item.text === "string") return item.text;
  if ((item.type === "image" || item.type === "audio") && typeof item.data === "string") {
    return `[${item.type} ${String(item.mimeType ?? "")}, ${formatBytes(base64Bytes(item.data))}]`;
  }
  if (item.type === "resource_link") return `[link ${String(item.uri)}]`;
  if (item.type === "resource" && item.resource) {
    const { uri, text, blob } = item.resource;
    if (typeof text === "string") return `[resource ${String(uri)}]\n${text}`;
    const size = typeof blob === "string" ? `, ${formatBytes(base64Bytes(blob))}` : "";
    return `[resource ${String(uri)}${size}]`;
  }
  return shortJson(item);
}

function base64Bytes(data: string): number {
  const padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}

/** A result of any other method, as indented JSON. */
export function formatResult(method: string, result: unknown): string {
  return method === "tools/call" ? formatToolResult(result) : JSON.stringify(result, null, 2);
}
