/**
 * The one HTTP client module (undici 8). Opens a request, follows redirects up to a bound,
 * decodes a compressed body, and hands back the status, headers and body as a byte stream.
 * The dispatcher (src/http/dispatcher.ts) is a parameter so tests hand in real local servers
 * and proxies.
 *
 * Every wait is bounded: undici's header timeout starts again at each interim (1xx) response,
 * so a server sending `102 Processing` for ever would hold a request for ever; here the final
 * headers must come within the header timeout of the first interim response's request.
 */
import { STATUS_CODES } from "node:http";
import { pipeline, type Readable } from "node:stream";
import { type Dispatcher, request } from "undici";
import { type BodyDecompressor, contentCodings, createDecompressors } from "./content-decoding.js";
import type { HttpDispatcher, HttpVersion } from "./dispatcher.js";
import { RequestFailure } from "./network-error.js";
import { nextRedirect } from "./redirect-follow.js";

export interface HttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  dispatcher: HttpDispatcher;
  signal: AbortSignal;
  /** Time allowed for the response headers after the request was sent. */
  headersTimeoutMs: number;
  /** Redirects followed before giving up with a "redirect" error. */
  maxRedirects: number;
  /** Told about each redirect followed (for `-v`), with the user headers it dropped. */
  onRedirect?: (status: number, location: string, droppedHeaders: string[]) => void;
  /** Names (lower case) of the headers the user gave with -H: not sent to another origin. */
  userHeaderNames?: ReadonlySet<string>;
  /** `--location-trusted`: send the user's headers to another origin on redirect too. */
  locationTrusted?: boolean;
}

export interface HttpResponse {
  /** The URL that answered, after redirects. */
  url: string;
  status: number;
  statusText: string;
  /** The HTTP version the response came in (its status line, or h2), when known. */
  httpVersion: HttpVersion | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** The Content-Encoding the body was decoded from, or undefined when it was not encoded. */
  contentEncoding: string | undefined;
  /** The body bytes, already decoded from gzip/deflate/br. */
  body: Readable;
}

export function headerValue(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** Sends the request and resolves when the final (non-redirect) response headers arrived. */
export async function openRequest(input: HttpRequest): Promise<HttpResponse> {
  let url = input.url;
  let method = input.method;
  let body = input.body;
  let headers = { ...input.headers };
  for (let redirects = 0; ; redirects++) {
    const target = new URL(url);
    let response: Dispatcher.ResponseData;
    try {
      response = await requestWithDeadline(input, target, method, headers, body);
    } catch (error) {
      throw new RequestFailure(error, input.dispatcher.proxyFor(target), target);
    }
    let next: ReturnType<typeof nextRedirect>;
    try {
      next = nextRedirect(
        response.statusCode,
        headerValue(response.headers, "location"),
        { url, method, headers, body },
        {
          userHeaderNames: input.userHeaderNames ?? new Set(),
          locationTrusted: input.locationTrusted === true,
        },
        redirects,
        input.maxRedirects,
      );
    } catch (error) {
      await response.body.dump().catch(() => {});
      throw error;
    }
    if (next === undefined) {
      return {
        url,
        status: response.statusCode,
        httpVersion: input.dispatcher.responseVersion(target),
        statusText: response.statusText || STATUS_CODES[response.statusCode] || "",
        headers: response.headers,
        ...decodeBody(response.body, headerValue(response.headers, "content-encoding")),
      };
    }
    await response.body.dump().catch(() => {});
    input.onRedirect?.(response.statusCode, next.url, next.dropped);
    ({ url, method, headers, body } = next);
  }
}

/** The deadline error: interim (1xx) responses came, the final headers did not. */
export class InterimResponsesTimeout extends Error {
  readonly code = "SSE_TOOL_INTERIM_TIMEOUT";
  constructor(
    readonly interimResponses: number,
    readonly timeoutMs: number,
  ) {
    super(`only interim responses (${interimResponses} x 1xx) within ${timeoutMs / 1000} s`);
  }
}

/**
 * One request. undici bounds the connect and the wait for headers, but restarts the header
 * timer at each 1xx; from the first 1xx on, a timer of our own ends the request when the final
 * headers are not there `headersTimeoutMs` after it was sent.
 */
async function requestWithDeadline(
  input: HttpRequest,
  target: URL,
  method: string,
  headers: Record<string, string>,
  body: Uint8Array | undefined,
): Promise<Dispatcher.ResponseData> {
  const sentAtMs = Date.now();
  const controller = new AbortController();
  const abort = () => controller.abort(input.signal.reason);
  if (input.signal.aborted) abort();
  else input.signal.addEventListener("abort", abort, { once: true });
  let interimResponses = 0;
  let deadline: NodeJS.Timeout | undefined;
  const onInfo = () => {
    interimResponses++;
    if (deadline !== undefined) return;
    const leftMs = Math.max(0, input.headersTimeoutMs - (Date.now() - sentAtMs));
    deadline = setTimeout(
      () => controller.abort(new InterimResponsesTimeout(interimResponses, input.headersTimeoutMs)),
      leftMs,
    );
  };
  input.dispatcher.startResponse();
  try {
    const response = await request(target, {
      dispatcher: input.dispatcher.for(target),
      method: method as Dispatcher.HttpMethod,
      headers,
      body,
      signal: controller.signal,
      headersTimeout: input.headersTimeoutMs,
      bodyTimeout: 0,
      onInfo,
    });
    // The caller's signal still ends the body (through undici's handling of `signal`).
    response.body.once("close", () => input.signal.removeEventListener("abort", abort));
    return response;
  } catch (error) {
    input.signal.removeEventListener("abort", abort);
    if (controller.signal.reason instanceof InterimResponsesTimeout && !input.signal.aborted) {
      throw controller.signal.reason;
    }
    throw error;
  } finally {
    clearTimeout(deadline);
  }
}

function decodeBody(
  raw: Readable,
  contentEncoding: string | undefined,
): { body: Readable; contentEncoding: string | undefined } {
  const codings = contentCodings(contentEncoding);
  if (codings.length === 0) return { body: raw, contentEncoding: undefined };
  let decoders: BodyDecompressor[];
  try {
    // Codings are listed in the order applied; undo them last first.
    decoders = createDecompressors(codings);
  } catch (error) {
    discardBody(raw);
    throw error;
  }
  const last = decoders[decoders.length - 1]!;
  pipeline([raw, ...decoders], () => {
    // Errors surface on `last`, which the caller reads.
  });
  return { body: last, contentEncoding: codings.join(", ") };
}

/** Reads up to `maxBytes` of a body (for error messages) and discards the rest. */
export async function readBodyStart(body: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= maxBytes) break;
    }
  } catch {
    // A body cut short still shows what arrived.
  } finally {
    discardBody(body);
  }
  return Buffer.concat(chunks).subarray(0, maxBytes);
}

/**
 * Stops reading a body and releases its connection. undici's body emits an "aborted" error
 * when destroyed early; nobody needs that error, and unheard it would crash the process.
 */
export function discardBody(body: Readable): void {
  body.on("error", () => {});
  body.destroy();
}
