/**
 * Which `listen` and `doctor` arguments name something already captured rather than a URL. The rule, so a
 * typo'd host is never taken for a file: `-` is stdin; `file:` URLs, and names starting with
 * `/`, `./` or `../`, are files; a name with a scheme (`http://`) or a host:port (`host:8080/x`,
 * `:8080/x`) is a URL; any other name is a file only when it exists, else a URL as before.
 */
import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SseToolError } from "../errors.js";

export type OfflineSource = { kind: "stdin" } | { kind: "file"; path: string };

const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;
/** host:port before any slash: a URL without its scheme. */
const hostAndPort = /^[^/]*:\d/;

export function offlineSource(
  argument: string,
  isFile: (path: string) => boolean = isExistingFile,
): OfflineSource | undefined {
  if (argument === "-") return { kind: "stdin" };
  if (/^file:/i.test(argument)) {
    try {
      return { kind: "file", path: fileURLToPath(argument) };
    } catch {
      throw new SseToolError("usage", `invalid file URL: ${argument}`);
    }
  }
  if (argument.startsWith("/") || argument.startsWith("./") || argument.startsWith("../")) {
    return { kind: "file", path: argument };
  }
  if (scheme.test(argument) || hostAndPort.test(argument)) return undefined;
  return isFile(argument) ? { kind: "file", path: argument } : undefined;
}

function isExistingFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The source's name in messages. */
export function offlineSourceName(source: OfflineSource): string {
  return source.kind === "stdin" ? "stdin" : source.path;
}
