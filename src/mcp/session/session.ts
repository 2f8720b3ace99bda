/**
 * One MCP session over Streamable HTTP (or, found by the spec's backwards-compatibility steps,
 * the older HTTP+SSE transport): the handshake, requests whose responses come as one JSON body
 * or on an event stream (resumed with Last-Event-ID when it closes early), server-to-client
 * requests answered so the server never hangs, and the session ended with DELETE.
 */
import { SseToolError } from "../../errors.js";
import { discardBody, type HttpResponse, headerValue } from "../../http/client.js";
import {
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcRequest,
  parseMessages,
} from "../../mcp-protocol/jsonrpc.js";
import { isKnownRevision, legacyRevision, newestRevision } from "../../mcp-protocol/revisions.js";
import type { StreamEvent } from "../../sse/decoder.js";
import { initializeParams } from "../protocol/handshake.js";
import { McpHttpError, McpRpcError } from "../protocol/rpc-error.js";
import { SeenEventIds } from "../protocol/seen-event-ids.js";
import { answerServerRequest } from "../protocol/server-requests.js";
import { sessionHeaders } from "../protocol/session-headers.js";
import { followStream } from "./follow-stream.js";
import {
  expectEventStream,
  httpFailure,
  mediaType,
  readJsonBody,
  sendHttp,
} from "./http-exchange.js";
import { LegacyStream } from "./legacy-stream.js";
import type { McpSessionOptions } from "./session-options.js";
import { newStreamProgress, type StreamProgress } from "./stream-reader.js";

interface Pending {
  method: string;
  sentAtMs: number;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

/** Time allowed for the DELETE that ends a session. */
const closeTimeoutMs = 5000;

export type { McpSessionOptions };

export class McpSession {
  transport: "streamable" | "legacy" = "streamable";
  protocolVersion: string | undefined;
  sessionId: string | undefined;
  /** The server's `initialize` result (undefined for a reused session). */
  initializeResult: Record<string, unknown> | undefined;
  /** How responses came: one JSON body, an event stream, or both. */
  readonly responseKinds = new Set<"json" | "stream">();
  /** The streams of the last request: priming, event ids, keep-alives (for --check). */
  lastStream: StreamProgress | undefined;
  /** The session was renewed once after a 404. */
  renewed = false;

  readonly #options: McpSessionOptions;
  readonly #pending = new Map<JsonRpcId, Pending>();
  readonly #seenEventIds = new SeenEventIds();
  /** Answers to server requests still being sent (a long watch keeps none that are done). */
  readonly #answers = new Set<Promise<void>>();
  #nextId = 1;
  #legacy: LegacyStream | undefined;

  constructor(options: McpSessionOptions) {
    this.#options = options;
    this.sessionId = options.sessionId;
    if (options.sessionId !== undefined) this.protocolVersion = newestRevision;
  }

  get url(): string {
    return this.#options.url;
  }

  get #observer() {
    return this.#options.context.observer;
  }

  /** `initialize`, then `notifications/initialized`; falls back to HTTP+SSE when POST is refused. */
  async initialize(): Promise<void> {
    const params = initializeParams(newestRevision, this.#options.replies);
    let result: unknown;
    try {
      result = await this.#request("initialize", params);
    } catch (error) {
      // Backwards compatibility: a server of 2024-11-05 refuses POST initialize.
      if (!(error instanceof McpHttpError) || ![400, 404, 405].includes(error.status)) throw error;
      this.#observer.note?.(
        `POST initialize refused (HTTP ${error.status}): trying the HTTP+SSE transport of ${legacyRevision} (GET)`,
      );
      try {
        this.#legacy = await LegacyStream.open(this.#options, (event, label) =>
          this.#onStreamEvent(event, label, undefined),
        );
      } catch (legacyError) {
        this.#observer.note?.(`no HTTP+SSE transport either: ${(legacyError as Error).message}`);
        throw error;
      }
      this.transport = "legacy";
      result = await this.#request("initialize", { ...params, protocolVersion: legacyRevision });
    }
    const record = (result ?? {}) as Record<string, unknown>;
    this.initializeResult = record;
    const revision = typeof record.protocolVersion === "string" ? record.protocolVersion : "";
    this.protocolVersion = revision;
    if (!isKnownRevision(revision)) {
      this.#observer.note?.(
        `the server speaks revision ${JSON.stringify(revision)}, which sse-tool does not know: going on, frames shown as they come`,
      );
    }
    await this.notify("notifications/initialized");
  }

  /** Sends a request and resolves with its result; a JSON-RPC error is thrown as McpRpcError. */
  async request(method: string, params?: Record<string, unknown>): Promise<unknown> {
    try {
      return await this.#request(method, params);
    } catch (error) {
      const expired =
        error instanceof McpHttpError && error.status === 404 && this.sessionId !== undefined;
      if (!expired || this.renewed || this.transport === "legacy") throw error;
      // The spec: a 404 for a session means start a new one. Done once.
      this.#observer.note?.(
        `the session ${this.sessionId} expired (HTTP 404): initializing a new one`,
      );
      this.renewed = true;
      this.sessionId = undefined;
      this.protocolVersion = undefined;
      await this.initialize();
      return await this.#request(method, params);
    }
  }

  async notify(method: string, params?: Record<string, unknown>): Promise<void> {
    const message = { jsonrpc: "2.0" as const, method, ...(params ? { params } : {}) };
    this.#observer.message?.({
      direction: "sent",
      message: { kind: "notification", message },
      via: "post",
    });
    await this.#post(message, undefined, `POST ${method}`);
  }

  /**
   * Follows the server's own stream (GET; the HTTP+SSE stream for the older transport) until
   * it ends or the signal aborts. "no-stream" when the server offers none (405).
   */
  async watch(): Promise<"no-stream" | "ended"> {
    if (this.#legacy) {
      await this.#legacy.ended;
      return "ended";
    }
    const response = await sendHttp(this.#options.context, "GET", this.url, {
      ...this.#headers(),
      accept: "text/event-stream",
    });
    if (response.status === 405) {
      discardBody(response.body);
      return "no-stream";
    }
    await expectEventStream(response, "GET", this.sessionId !== undefined);
    await this.#followStream(response, undefined, "GET");
    return "ended";
  }

  /** Waits for the answers to server requests, then ends the session (DELETE) unless kept. */
  async close(keepSession = false): Promise<void> {
    await Promise.allSettled([...this.#answers]);
    this.#legacy?.close();
    if (keepSession || this.sessionId === undefined || this.transport === "legacy") return;
    try {
      // Its own time bound: after Ctrl-C the session is still ended.
      const context = { ...this.#options.context, signal: AbortSignal.timeout(closeTimeoutMs) };
      const response = await sendHttp(context, "DELETE", this.url, this.#headers());
      discardBody(response.body);
      if (response.status === 405) {
        this.#observer.note?.("the server does not let clients end sessions (DELETE got 405)");
      } else if (response.status >= 300) {
        this.#observer.note?.(`DELETE of the session got HTTP ${response.status}`);
      }
    } catch (error) {
      this.#observer.note?.(`could not end the session: ${(error as Error).message}`);
    }
  }

  #headers(): Record<string, string> {
    return sessionHeaders({
      base: this.#options.baseHeaders,
      userHeaderNames: this.#options.context.userHeaderNames,
      protocolVersion: this.protocolVersion,
      legacy: this.transport === "legacy",
      sessionId: this.sessionId,
    });
  }

  async #request(method: string, params?: Record<string, unknown>): Promise<unknown> {
    const id = this.#nextId++;
    const message: JsonRpcRequest = { jsonrpc: "2.0", id, method, ...(params ? { params } : {}) };
    const settled = new Promise<unknown>((resolve, reject) => {
      this.#pending.set(id, { method, sentAtMs: performance.now(), resolve, reject });
    });
    settled.catch(() => {});
    this.#observer.message?.({
      direction: "sent",
      message: { kind: "request", message },
      via: "post",
    });
    try {
      await this.#post(message, id, `POST #${id}`);
      if (this.#legacy) await Promise.race([settled, this.#legacy.failIfEnded()]);
      return await settled;
    } finally {
      this.#pending.delete(id);
    }
  }

  /** POSTs one message; for a request (`waitId`), reads its response from the body. */
  async #post(message: object, waitId: JsonRpcId | undefined, label: string): Promise<void> {
    if (this.#legacy) return this.#legacy.post(message);
    const withSession = this.sessionId !== undefined;
    const response = await sendHttp(
      this.#options.context,
      "POST",
      this.url,
      { ...this.#headers(), "content-type": "application/json" },
      JSON.stringify(message),
    );
    if (response.status < 200 || response.status >= 300) {
      throw await httpFailure(response, "POST", withSession);
    }
    const sessionId = headerValue(response.headers, "mcp-session-id");
    if (sessionId !== undefined && this.sessionId === undefined) this.sessionId = sessionId;
    const type = mediaType(response);
    if (response.status === 202 || waitId === undefined) {
      discardBody(response.body);
      if (waitId === undefined) {
        // Nothing is owed to a notification or an answer: a stream here could stay open for ever.
        if (type === "text/event-stream") {
          this.#observer.note?.(
            `${label}: got an event stream where 202 Accepted was expected: not read`,
          );
        }
        return;
      }
      throw new SseToolError(
        "protocol",
        `${label}: HTTP 202 with no body for a request: the server took it for a notification`,
      );
    }
    if (type === "application/json") {
      this.responseKinds.add("json");
      const messages = parseMessages(await readJsonBody(response));
      if (typeof messages === "string") {
        throw new SseToolError("protocol", `${label}: the JSON response body is ${messages}`);
      }
      for (const received of messages) this.#dispatch(received, "json", undefined);
    } else if (type === "text/event-stream") {
      this.responseKinds.add("stream");
      await this.#followStream(response, waitId, label);
    } else {
      discardBody(response.body);
      throw new SseToolError(
        "content-type",
        `${label}: got ${type || "a body without Content-Type"} where application/json or text/event-stream was expected`,
      );
    }
    if (waitId !== undefined && this.#pending.has(waitId)) {
      throw new SseToolError(
        "protocol",
        `${label}: the response body held no response to #${waitId}`,
      );
    }
  }

  /** Reads a request's stream (or, without `waitId`, the server's): see follow-stream.ts. */
  async #followStream(
    response: HttpResponse,
    waitId: JsonRpcId | undefined,
    label: string,
  ): Promise<void> {
    this.lastStream = newStreamProgress();
    await followStream(
      {
        context: this.#options.context,
        url: this.url,
        headers: () => this.#headers(),
        withSession: this.sessionId !== undefined,
        onEvent: (event, streamLabel) => this.#onStreamEvent(event, streamLabel, waitId),
        answered: () => waitId !== undefined && !this.#pending.has(waitId),
      },
      { response, waitId, label, progress: this.lastStream },
    );
  }

  /** One event of a stream; true once `waitId` is answered. */
  #onStreamEvent(event: StreamEvent, label: string, waitId: JsonRpcId | undefined): boolean {
    const eventId = event.lastEventId === "" ? undefined : event.lastEventId;
    this.#observer.frame?.({
      stream: label,
      id: event.lastEventId,
      type: event.type,
      data: event.data,
    });
    if (event.data === "") return false;
    if (eventId !== undefined && event.inheritedId === undefined) {
      if (!this.#seenEventIds.firstSight(eventId)) return false;
    }
    const messages = parseMessages(event.data);
    if (typeof messages === "string") {
      this.#observer.note?.(`${label}: an event whose data is ${messages}: ignored`);
    } else {
      for (const received of messages) this.#dispatch(received, "stream", eventId);
    }
    return waitId !== undefined && !this.#pending.has(waitId);
  }

  #dispatch(received: JsonRpcMessage, via: "json" | "stream", eventId: string | undefined): void {
    const oldest = this.#pending.values().next().value;
    const sinceRequestMs =
      oldest === undefined ? undefined : Math.round(performance.now() - oldest.sentAtMs);
    this.#observer.message?.({
      direction: "received",
      message: received,
      via,
      ...(eventId === undefined ? {} : { eventId }),
      ...(sinceRequestMs === undefined ? {} : { sinceRequestMs }),
    });
    if (received.kind === "response") {
      const id = received.message.id;
      const pending = id === null ? undefined : this.#pending.get(id);
      if (pending === undefined) {
        this.#observer.note?.(`a response to #${String(id)}, which no request awaits: ignored`);
        return;
      }
      this.#pending.delete(id!);
      const error = received.message.error;
      if (error) pending.reject(new McpRpcError(pending.method, error));
      else pending.resolve(received.message.result);
    } else if (received.kind === "request") {
      const answer = answerServerRequest(received.message, this.#options.replies);
      this.#observer.message?.({
        direction: "sent",
        message: { kind: "response", message: answer },
        via: "post",
      });
      const sent = this.#post(answer, undefined, `POST answer #${String(answer.id)}`)
        .catch((error) => {
          this.#observer.note?.(`could not answer the server: ${(error as Error).message}`);
        })
        .finally(() => this.#answers.delete(sent));
      this.#answers.add(sent);
    }
  }
}
