/**
 * The default, human view of a stream: one header per event (receive time, event type in a
 * colour stable per type, id) and its data; JSON data laid out and coloured, multi-line data
 * indented under the header, very large data shortened (unless --full). Unnamed `message`
 * events are in the neutral colour; an id the event carried is `id=3`, one inherited from an
 * earlier event a dimmed `(id 3)`. Everything from the server is escaped for the terminal.
 */
import type { ChalkInstance } from "chalk";
import type { StreamEvent } from "../../sse/decoder.js";
import { detachedCopy } from "../../sse/detached-copy.js";
import { escapeForTerminal, escapeForTerminalLine } from "../../terminal/escape.js";
import { maxShownDataLength, shortenedDataLength } from "../cli.js";
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
  /** --full: very large data shown whole instead of shortened. */
  full?: boolean;
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
  // Stryker disable next-line StringLiteral: a first clock of "" finds the painted clock "" already right; any other is painted
  #lastClock = "";
  #lastPaintedClock = "";
  /** `[label] ` (painted, padded) or "" for a single stream. */
  readonly #sourcePrefix: string;
  readonly #full: boolean;
  /** The colour of unnamed events (`message`): the terminal's own, bold. */
  readonly #neutral: (text: string) => string;

  constructor({
    chalk,
    width = 100,
    sourceLabel,
    sourceLabelWidth = 0,
    full = false,
  }: PrettyFormatOptions) {
    this.#chalk = chalk;
    this.#width = width;
    this.#full = full;
    this.#sourcePrefix =
      sourceLabel === undefined
        ? ""
        : `${chalk.bold(`[${escapeForTerminalLine(sourceLabel)}]`)}${" ".repeat(Math.max(0, sourceLabelWidth - sourceLabel.length))} `;
    // Stryker disable next-line ConditionalExpression,BlockStatement: chalk at level 0 returns text unchanged, so skipping this fast path (`false`, `{}`) gives the same text
    if (chalk.level === 0) {
      // No colour: skip chalk's call per token (the pretty view's hot path).
      const plain = (text: string) => text;
      this.#dim = plain;
      this.#neutral = plain;
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
    this.#neutral = chalk.bold;
    // No red: it reads as an error.
    this.#nameColors = [
      chalk.cyan,
      chalk.magenta,
      chalk.yellow,
      chalk.green,
      chalk.blue,
      chalk.greenBright,
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
    if (type === "message") return this.#neutral(type);
    let painted = this.#paintedNames.get(type);
    // Stryker disable next-line ConditionalExpression: `true` paints the name again, the same text: the cache only saves time
    if (painted === undefined) {
      const color = this.#nameColors[hashName(type) % this.#nameColors.length]!;
      painted = this.#chalk.bold(color(escapeForTerminalLine(type)));
      // Stryker disable next-line ConditionalExpression,EqualityOperator: the cache's bound: clearing it sooner or never changes no text
      if (this.#paintedNames.size > 1000) this.#paintedNames.clear();
      // A copy: the type is a slice of its chunk, which a cached key would keep alive.
      // Stryker disable next-line ConditionalExpression,EqualityOperator: which names are cached changes no text, only memory and time
      if (type.length <= maxCachedNameLength) this.#paintedNames.set(detachedCopy(type), painted);
    }
    return painted;
  }

  /**
   * One event as text ending in a newline; `clock` is its time column (src/listen/output/
   * time-column.ts), "" for none.
   */
  formatEvent(event: StreamEvent, clock: string): string {
    const dim = this.#dim;
    // The clock is the same for every event of a network chunk: paint it once per chunk.
    // Stryker disable next-line ConditionalExpression: `true` paints the clock for every event, the same text: the cache only saves time
    if (clock !== this.#lastClock) {
      this.#lastClock = clock;
      this.#lastPaintedClock = clock === "" ? "" : `${dim(clock)} `;
    }
    let header = `${this.#lastPaintedClock}${this.#sourcePrefix}${this.eventName(event.type)}`;
    if (event.lastEventId !== "") {
      const id = escapeForTerminalLine(event.lastEventId);
      header += event.inheritedId ? ` ${dim(`(id ${id})`)}` : ` id=${id}`;
    }
    const data = event.data;
    if (data === "") return `${header} ${dim("(empty)")}\n`;
    if (!this.#full && data.length > maxShownDataLength) return this.#shortened(header, data);
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
    const time = clock === "" ? "" : `${clock} `;
    if (this.#sourcePrefix === "") return `${this.#chalk.dim(`${time}${comment}`)}\n`;
    const paintedTime = time === "" ? "" : `${this.#chalk.dim(clock)} `;
    return `${paintedTime}${this.#sourcePrefix}${this.#chalk.dim(comment)}\n`;
  }

  /** Very large data: its start on one line, and how much there is in all. */
  #shortened(header: string, data: string): string {
    let end = shortenedDataLength;
    // Not between the two halves of a surrogate pair.
    const last = data.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end--;
    const start = escapeForTerminalLine(data.slice(0, end));
    const bytes = Buffer.byteLength(data, "utf8");
    return `${header} ${start}${this.#dim(`… [${bytes} bytes in all; --full shows all]`)}\n`;
  }
}
