/**
 * The request `listen` and `doctor` send, from the options they share (-H, -X, -d, -u,
 * --insecure, --proxy): the URL without its credentials, the method, the -d body and the headers
 * for each connection (Basic auth from `user:password@` or -u among them).
 */
import type { Readable } from "node:stream";
import packageJson from "../../package.json" with { type: "json" };
import { basicAuthorization } from "./basic-auth.js";
import { readRequestBody } from "./request-body.js";
import { buildRequestHeaders, isJsonBody, parseHeaderOptions } from "./request-headers.js";

/** Sent as User-Agent unless -H changes or removes it (`-H 'User-Agent:'`). */
export const defaultUserAgent = `sse-tool/${packageJson.version}`;

/** The request options of `listen` and `doctor` (declared once in src/cli/request-options.ts). */
export interface RequestCliOptions {
  header?: string[];
  method?: string;
  data?: string;
  insecure?: boolean;
  proxy?: string;
  /** --location-trusted: send the -H headers to another origin on redirect too. */
  locationTrusted?: boolean;
  /** -u, --user `user[:password]`: Basic auth (instead of the URL's `user:password@`). */
  user?: string;
}

export interface PreparedRequest {
  /** The URL to request, without `user:password@` (those travel as Authorization). */
  url: string;
  method: string;
  body: Buffer | undefined;
  /** Lower-case names of the -H headers (not sent to another origin on redirect). */
  userHeaderNames: ReadonlySet<string>;
  /** The headers of one request: EventSource defaults, -H, Content-Type, Last-Event-ID. */
  headersFor(lastEventId: string): Record<string, string>;
}

/**
 * Checks the -H lines, reads the -d body (from `stdin` for `-d @-`, the process's stdin when not
 * given) and picks the method: -X, else POST with a body, else GET.
 */
export async function prepareRequest(
  target: URL,
  options: RequestCliOptions,
  stdin?: Readable,
): Promise<PreparedRequest> {
  const userHeaders = parseHeaderOptions(options.header ?? []);
  const body =
    options.data === undefined
      ? undefined
      : await readRequestBody(options.data, stdin ?? process.stdin);
  const hasBody = body !== undefined;
  const bodyIsJson = hasBody && isJsonBody(body);
  const authorization = basicAuthorization(target, options.user);
  const url = new URL(target.href);
  url.username = "";
  url.password = "";
  return {
    url: url.href,
    method: options.method?.toUpperCase() ?? (hasBody ? "POST" : "GET"),
    body,
    userHeaderNames: new Set(userHeaders.map(([name]) => name)),
    headersFor: (lastEventId) =>
      buildRequestHeaders({
        userHeaders,
        lastEventId,
        hasBody,
        bodyIsJson,
        userAgent: defaultUserAgent,
        authorization,
      }),
  };
}
