/**
 * The `-v`/`-i` lines of one HTTP exchange, as curl shows them: `> GET url` and the request
 * headers (credentials redacted, the URL without its own), `< HTTP/1.1 200 OK` and the response
 * headers. Shared by listen and doctor. Pure; the lines hold server text, so the caller escapes
 * them for the terminal as it writes them.
 */
import { redactUrl } from "./redaction.js";

/** Escapes one header value for display (the caller's terminal escaper, or an identity). */
export type HeaderRedactor = (name: string, value: string) => string;

export function requestHeadLines(
  method: string,
  url: string,
  headers: Record<string, string>,
  redactHeader: HeaderRedactor,
): string[] {
  const lines = [`> ${method} ${redactUrl(url)}`];
  for (const [name, value] of Object.entries(headers)) {
    lines.push(`> ${name}: ${redactHeader(name, value)}`);
  }
  return lines;
}

export function responseHeadLines(response: {
  status: number;
  statusText: string;
  httpVersion: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}): string[] {
  // What the server said in its status line (HTTP/1.0, 1.1), or h2 from the TLS handshake.
  const version = response.httpVersion === undefined ? "" : `/${response.httpVersion}`;
  const lines = [`< HTTP${version} ${response.status} ${response.statusText}`.trimEnd()];
  for (const [name, value] of Object.entries(response.headers)) {
    for (const item of Array.isArray(value) ? value : [value ?? ""]) {
      lines.push(`< ${name}: ${item}`);
    }
  }
  return lines;
}
