/**
 * Publishing with `POST <stream path>`: the body read within its bound, parsed (publish-body.ts,
 * pure) and its events handed to the hub; a 202 with their ids, or a JSON error. A body that
 * is refused is not read: the connection is closed after the answer.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { BroadcastHub } from "../feeds/hub.js";
import {
  maxPublishBodyBytes,
  parsePublishBody,
  publishBodyKind,
  unsupportedBodyMessage,
} from "./publish-body.js";
import { readRequestBody } from "./read-body.js";

export interface PublishOptions {
  /** `--event`: the type for published events that carry none. */
  defaultEventType?: string;
  /** The publish line (a no-op with --quiet). */
  log: (message: string) => void;
}

/** Answers `POST <stream path>`: the body's events published into `hub`, or why not. */
export async function publishFromRequest(
  request: IncomingMessage,
  response: ServerResponse,
  hub: BroadcastHub,
  options: PublishOptions,
): Promise<void> {
  // Decided before a byte of the body is read: a form (what an HTML page can send anywhere
  // without asking) or any other undocumented type is not an event.
  const kind = publishBodyKind(request.headers["content-type"]);
  if (kind === undefined) {
    refuseBody(
      request,
      response,
      415,
      `this Content-Type is not accepted: ${unsupportedBodyMessage}`,
    );
    return;
  }
  const declaredLength = Number(request.headers["content-length"] ?? "0");
  if (declaredLength > maxPublishBodyBytes) {
    tooLarge(request, response);
    return;
  }
  const body = await readRequestBody(request, maxPublishBodyBytes);
  if (body === "aborted") return;
  if (body === "too-large") {
    tooLarge(request, response);
    return;
  }
  let bodyText: string;
  try {
    bodyText = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    sendJson(response, 400, { error: "the body is not valid UTF-8" });
    return;
  }
  const parsed = parsePublishBody(
    kind,
    bodyText,
    options.defaultEventType === undefined ? {} : { defaultEventType: options.defaultEventType },
  );
  if (!parsed.ok) {
    const { message, line } = parsed.error;
    sendJson(response, 400, line === undefined ? { error: message } : { error: message, line });
    return;
  }
  const result = hub.publish(parsed.events);
  const label = `${request.socket.remoteAddress}:${request.socket.remotePort}`;
  options.log(`${result.published.length} published by ${label}`);
  sendJson(response, 202, {
    published: result.published.length,
    ids: result.published.map((event) => event.id ?? null),
  });
}

/** 413, then close the connection: reading on through a huge upload would be wasted work. */
function tooLarge(request: IncomingMessage, response: ServerResponse): void {
  refuseBody(
    request,
    response,
    413,
    `the body is over the ${maxPublishBodyBytes}-byte limit for publishing`,
  );
}

/** An error answer without reading the body, then the connection is closed. */
function refuseBody(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  error: string,
): void {
  response.setHeader("Connection", "close");
  sendJson(response, status, { error });
  response.on("finish", () => request.destroy());
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  response
    .writeHead(status, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": Buffer.byteLength(text),
    })
    .end(text);
}
