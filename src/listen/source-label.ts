/**
 * Short names for the streams of `listen URL URL...`, shown before each event in the pretty
 * view. A label is the shortest readable part of its URL that tells it apart from the others:
 * the host when the hosts differ, else the port, the last path segment, the path, ... It
 * depends only on the URLs given, so the same command labels its streams the same way on
 * every run.
 */

/** Labels longer than this are shortened in the middle. */
export const maxSourceLabelLength = 32;

type Candidate = (url: URL) => string;

const lastSegment = (url: URL): string =>
  url.pathname
    .split("/")
    .filter((segment) => segment !== "")
    .pop() ?? "";

const withoutTrailingSlash = (path: string): string =>
  path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;

/** From the most to the least compact; the first that is unique for every URL is used. */
const candidates: Candidate[] = [
  (url) => url.hostname,
  (url) => url.host,
  lastSegment,
  (url) => `${lastSegment(url)}${url.search}`,
  (url) => withoutTrailingSlash(url.pathname),
  (url) => `${withoutTrailingSlash(url.pathname)}${url.search}`,
  (url) => `${url.host}${withoutTrailingSlash(url.pathname)}${url.search}`,
];

/** Shortens `text` to `maxLength` characters by replacing its middle with "…". */
export function shortenMiddle(text: string, maxLength = maxSourceLabelLength): string {
  if (text.length <= maxLength) return text;
  const keep = maxLength - 1;
  const head = Math.ceil(keep / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
}

/**
 * One label per URL, in order. URLs given twice get "#2", "#3" after the first. Unparsable
 * URLs are labelled by their text (listen rejects them before any label is shown).
 */
export function sourceLabels(urls: readonly string[]): string[] {
  const parsed = urls.map(parseUrl);
  let labels: string[] | undefined;
  for (const candidate of candidates) {
    const attempt = parsed.map((url, index) => (url ? candidate(url) : urls[index]!));
    if (attempt.every((label) => label !== "") && new Set(attempt).size === attempt.length) {
      labels = attempt;
      break;
    }
  }
  labels ??= numberDuplicates(
    parsed.map((url, index) => (url ? candidates[candidates.length - 1]!(url) : urls[index]!)),
  );
  return labels.map((label) => shortenMiddle(label));
}

/** `URL.parse` is Node 22+; Node 20 is supported. */
function parseUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

function numberDuplicates(labels: string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((label) => {
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    return count === 1 ? label : `${label}#${count}`;
  });
}
