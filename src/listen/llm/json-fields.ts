/**
 * Reading fields out of server-sent JSON without trusting its shape. Pure.
 *
 * The payloads are server-controlled: `JSON.parse` itself copes with any nesting, but walking
 * the result must not (no recursion over it, no JSON.stringify of a value that could be nested
 * a hundred thousand levels deep without a catch). Readers only follow fixed paths.
 */

export type Json = Record<string, unknown>;

/** The event data as a JSON object, or undefined (not JSON, or an array, string, number). */
export function parseObject(data: string): Json | undefined {
  // A cheap look at the first character saves a throw for every non-JSON event.
  let start = 0;
  while (start < data.length && data.charCodeAt(start) <= 0x20) start++;
  if (data.charCodeAt(start) !== 0x7b) return undefined;
  try {
    return objectAt(JSON.parse(data));
  } catch {
    return undefined;
  }
}

export function objectAt(value: unknown): Json | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}

export function arrayAt(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function stringAt(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function numberAt(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/**
 * The entry of a `choices` / `candidates` list that belongs to the first reply (`index` 0 or
 * none): only that one is assembled (n > 1 is rare in streams and would interleave).
 */
export function firstReplyEntry(list: unknown): Json | undefined {
  for (const item of arrayAt(list)) {
    const entry = objectAt(item);
    if (entry && (numberAt(entry.index) ?? 0) === 0) return entry;
  }
  return undefined;
}

/** Longest provider error message kept (a hostile server could send megabytes). */
const maxMessageLength = 1000;

/** Cuts a server string to `max` characters, copied so it does not pin a large event. */
export function shortCopy(text: string, max = maxMessageLength): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  // Concatenation with a flattening join gives a new string instead of a slice of `text`.
  return [...cut].join("");
}

/**
 * A provider's error object as one line: `type: message`. The type is whichever of `type`,
 * `code` or `status` the provider uses; nothing of an unknown shape is stringified.
 */
export function errorMessage(value: unknown): string {
  if (typeof value === "string") return shortCopy(value);
  const error = objectAt(value);
  if (!error) return "an error without a message";
  const message =
    stringAt(error.message) ?? stringAt(error.errorText) ?? "an error without a message";
  const code = error.code;
  // An event's own `type: "error"` names nothing; its `code` does (OpenAI responses).
  const ownType = stringAt(error.type);
  const type =
    (ownType === "error" ? undefined : ownType) ??
    stringAt(code) ??
    stringAt(error.status) ??
    (typeof code === "number" ? String(code) : undefined);
  return shortCopy(type ? `${type}: ${message}` : message);
}

/**
 * The first own key of `value` that is not in `known` and holds something (not null, not ""),
 * or undefined: for "a field this view does not read" warnings, one per event.
 */
export function firstUnknownKey(value: Json, known: ReadonlySet<string>): string | undefined {
  for (const key in value) {
    if (!Object.hasOwn(value, key) || known.has(key)) continue;
    const item = value[key];
    if (item !== null && item !== "" && item !== undefined) return shortCopy(key, 80);
  }
  return undefined;
}

/** How deep and how wide `boundedCopy` goes. */
const copyMaxDepth = 3;
const copyMaxKeys = 64;

/**
 * A copy of a server object cut to a few levels and keys, so printing it later (`--json`)
 * can neither overflow the stack nor repeat megabytes. Recursion is bounded by copyMaxDepth.
 */
export function boundedCopy(value: Json, depth = 1): Json {
  const copy: Json = {};
  let keys = 0;
  for (const key in value) {
    // `__proto__` as a plain key would set the copy's prototype instead.
    if (!Object.hasOwn(value, key) || key === "__proto__") continue;
    if (++keys > copyMaxKeys) break;
    copy[key] = boundedValue(value[key], depth);
  }
  return copy;
}

function boundedValue(item: unknown, depth: number): unknown {
  if (typeof item === "string") return shortCopy(item, 200);
  if (item === null || typeof item !== "object") return item;
  if (depth >= copyMaxDepth) return Array.isArray(item) ? "[…]" : "{…}";
  if (Array.isArray(item)) {
    return item.slice(0, copyMaxKeys).map((entry) => boundedValue(entry, depth + 1));
  }
  return boundedCopy(item as Json, depth + 1);
}

/** Deepest nesting of a server value shown as JSON text; deeper is refused, not stringified. */
export const jsonTextMaxDepth = 1000;

/**
 * A server value (a tool call's arguments object) as JSON text, or undefined when it nests
 * deeper than `jsonTextMaxDepth`. The depth is measured without recursion first: whether
 * JSON.stringify overflows its stack on deep input depends on the V8 version.
 */
export function jsonText(value: unknown): string | undefined {
  if (nestsDeeperThan(value, jsonTextMaxDepth)) return undefined;
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** Whether objects and arrays in `value` nest deeper than `maxDepth` (iterative, linear). */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const pending: Array<{ item: unknown; depth: number }> = [{ item: value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { item, depth } = next;
    if (item === null || typeof item !== "object") continue;
    if (depth >= maxDepth) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (child !== null && typeof child === "object")
        pending.push({ item: child, depth: depth + 1 });
    }
  }
  return false;
}
