/**
 * The default, human view of a stream: one header per event (receive time, event type in a
 * colour stable per type, id) and its data; JSON data laid out and coloured, multi-line data
 * indented under the header. Everything from the server is escaped for the terminal.
 */
import type { ChalkInstance } from "chalk";
import type { StreamEvent } from "../../sse/decoder.js";
import { detachedCopy } from "../../sse/detached-copy.js";
import { escapeForTerminal, escapeForTerminalLine } from "../../terminal/escape.js";
import { type JsonPalette, jsonContainerTokens, layoutJsonTokens } from "./json-layout.js";

/** Data longer than this is shown as text, not laid out as JSON (laying out costs time). */
const maxJsonLayoutLength = 256 * 1024;
const dataIndent = "  ";
/** Longer event names are painted each time instead of cached. */
const maxCachedNameLength = 256;

export interface PrettyFormatOptions {
  chalk: ChalkInstance;
  /** Columns available; JSON containers narrower than this stay on one line. */
  width?: number;
  /**
   * The stream's label when `listen` follows several (src/listen/source-label.ts), shown after
   * the time as `[label]`; padded to `sourceLabelWidth` so the event names line up.
   */
  sourceLabel?: string;
  sourceLabelWidth?: number;
}

/** `HH:MM:SS.mmm` in local time: when the chunk holding the event arrived. */
export function formatClockTime(date: Date): string {
  const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
  const ms = date.getMilliseconds();
  const millis = ms < 10 ? `00${ms}` : ms < 100 ? `0${ms}` : `${ms}`;
  return `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}.${millis}`;
}

/** FNV-1a: a small, stable hash so an event type keeps its colour across runs. */
export function hashName(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // FNV's low bits depend only on the low bits of each character; mix the high bits down so
  // `hash % colours` spreads short names over the palette.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x45d9f3b);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

export class PrettyEventFormatter {
  readonly #chalk: ChalkInstance;
  readonly #width: number;
  readonly #nameColors: Array<(text: string) => string>;
  readonly #paintedNames = new Map<string, string>();
  readonly #palette: JsonPalette;
  /** `chalk.dim`, or the identity without colour (chalk's call costs even at level 0). */
  readonly #dim: (text: string) => string;
  #lastClock = "";
  #lastPaintedClock = "";
  /** `[label] ` (painted, padded) or "" for a single stream. */
  readonly #sourcePrefix: string;

  constructor({ chalk, width = 100, sourceLabel, sourceLabelWidth = 0 }: PrettyFormatOptions) {
    this.#chalk = chalk;
    this.#width = width;
    this.#sourcePrefix =
      sourceLabel === undefined
        ? ""
        : `${chalk.bold(`[${escapeForTerminalLine(sourceLabel)}]`)}${" ".repeat(Math.max(0, sourceLabelWidth - sourceLabel.length))} `;
    if (chalk.level === 0) {
      // No colour: skip chalk's call per token (the pretty view's hot path).
      const plain = (text: string) => text;
      this.#dim = plain;
      this.#nameColors = [plain];
      this.#palette = {
        key: plain,
        string: plain,
        number: plain,
        literal: plain,
        punctuation: plain,
      };
      return;
    }
    this.#dim = chalk.dim;
    this.#nameColors = [
      chalk.cyan,
      chalk.magenta,
      chalk.yellow,
      chalk.green,
      chalk.blue,
      chalk.redBright,
      chalk.cyanBright,
      chalk.magentaBright,
    ];
    this.#palette = {
      key: chalk.blue,
      string: chalk.green,
      number: chalk.yellow,
      literal: chalk.magenta,
      punctuation: (text) => text,
    };
  }

  /** The event type, escaped and painted in its colour (cached: types repeat). */
  eventName(type: string): string {
    let painted = this.#paintedNames.get(type);
    if (painted === undefined) {
      const color = this.#nameColors[hashName(type) % this.#nameColors.length]!;
      painted = this.#chalk.bold(color(escapeForTerminalLine(type)));
      if (this.#paintedNames.size > 1000) this.#paintedNames.clear();
      // A copy: the type is a slice of its chunk, which a cached key would keep alive.
      if (type.length <= maxCachedNameLength) this.#paintedNames.set(detachedCopy(type), painted);
    }
    return painted;
  }

  /** One event as text ending in a newline; `clock` is `formatClockTime` of its receive time. */
  formatEvent(event: StreamEvent, clock: string): string {
    const dim = this.#dim;
    // The clock is the same for every event of a network chunk: paint it once per chunk.
    if (clock !== this.#lastClock) {
      this.#lastClock = clock;
      this.#lastPaintedClock = dim(clock);
    }
    let header = `${this.#lastPaintedClock} ${this.#sourcePrefix}${this.eventName(event.type)}`;
    if (event.lastEventId !== "") {
      header += ` ${dim(`id=${escapeForTerminalLine(event.lastEventId)}`)}`;
    }
    const data = event.data;
    if (data === "") return `${header} ${dim("(empty)")}\n`;
    // The scan also says whether any string needs escaping: most JSON data has nothing to escape.
    const scan = data.length <= maxJsonLayoutLength ? jsonContainerTokens(data) : undefined;
    if (scan) {
      const lines = layoutJsonTokens(
        scan.tokens,
        this.#palette,
        this.#width - dataIndent.length,
        scan.needsEscaping,
      );
      if (lines.length === 1) return `${header} ${lines[0]}\n`;
      return `${header}\n${dataIndent}${lines.join(`\n${dataIndent}`)}\n`;
    }
    const safe = escapeForTerminal(data);
    if (!safe.includes("\n")) return `${header} ${safe}\n`;
    return `${header}\n${dataIndent}${safe.split("\n").join(`\n${dataIndent}`)}\n`;
  }

  /** A comment line (heartbeat), shown only with --comments. */
  formatComment(text: string, clock: string): string {
    const comment = `: ${escapeForTerminalLine(text)}`;
    if (this.#sourcePrefix === "") return `${this.#chalk.dim(`${clock} ${comment}`)}\n`;
    return `${this.#chalk.dim(clock)} ${this.#sourcePrefix}${this.#chalk.dim(comment)}\n`;
  }
}
