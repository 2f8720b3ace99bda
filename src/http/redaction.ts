/**
 * What counts as a secret in what a request sends and a response answers, and the same secrets
 * taken out of a URL: used by `-v` (src/listen/output/diagnostic-text.ts) and by `listen
 * --record` (src/recording/format.ts), so both hide the same things. Pure.
 */

/** Header names that carry credentials by definition. */
const secretHeaderNames = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "api-key",
]);

/**
 * Words of a header or query parameter name (split at `-`, `_` and `.`) that mark an API key,
 * a token or a session: `x-goog-api-key`, `X-Auth-Token`, `access_token`, `sessionid`,
 * `client_secret`, `sig`. Plurals are left alone (`x-ratelimit-remaining-tokens` is a count).
 */
const secretWords = new Set([
  "key",
  "apikey",
  "token",
  "secret",
  "password",
  "passwd",
  "auth",
  "session",
  "sessionid",
  "signature",
  "sig",
  "credential",
]);

/** Whether a header (or query parameter) with this name carries a secret. */
export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  if (secretHeaderNames.has(lower)) return true;
  for (const word of lower.split(/[-_.]/)) {
    if (secretWords.has(word) || /(?:apikey|token|secret)$/.test(word)) return true;
  }
  return false;
}

/** How a redacted value is shown: that something was there, not what. */
export const redactedValue = "[redacted]";

/**
 * A request header value as `-v` shows it: a credential's scheme (`Bearer`, `Basic`) and its
 * length, never the credential. Not escaped for a terminal: the caller does that.
 */
export function redactHeaderValue(name: string, value: string): string {
  if (!isSecretName(name)) return value;
  const space = value.indexOf(" ");
  const scheme = space > 0 && space < 12 ? `${value.slice(0, space)} ` : "";
  return `${scheme}[redacted, ${value.length - scheme.length} characters]`;
}

/** `scheme://user:password@` at the start of a text that is not a URL (no `/`, `?`, `#` in it). */
const textCredentials = /^([^/?#@\s]*\/\/)[^/?#@\s]*@/;

/**
 * A URL without its credentials, the one form in which any URL is shown (-v, the connected
 * line, errors, `--json` "source", recordings): the user name and password are dropped and the
 * values of secret-looking query parameters (`?token=`, `?api_key=`, `&sig=`) replaced. Text
 * that is not a URL comes back with only its `//user:password@` taken out.
 */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text.replace(textCredentials, "$1");
  }
  url.username = "";
  url.password = "";
  let redacted = false;
  const query = new URLSearchParams(url.search);
  for (const name of new Set(query.keys())) {
    if (!isSecretName(name)) continue;
    query.set(name, redactedValue);
    redacted = true;
  }
  if (redacted) url.search = query.toString();
  // Brackets are fine in a query; "[redacted]" reads better than its percent-encoding.
  return redacted ? url.href.replaceAll("%5Bredacted%5D", redactedValue) : url.href;
}
