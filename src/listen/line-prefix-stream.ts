/**
 * A stderr for one of several streams `listen` follows: every line written through it is
 * labelled with the stream's name, so "reconnecting", `-v` headers and the summary say which
 * stream they are about. `sse-tool: reason` becomes `sse-tool: [label] reason`; other lines
 * (`> GET ...`, `< HTTP/2 200`) get `[label] ` in front.
 */
import { Writable } from "node:stream";

const toolPrefix = "sse-tool: ";

export class LinePrefixStream extends Writable {
  readonly #target: Writable;
  readonly #label: string;
  /** The next byte written starts a line. */
  #atLineStart = true;

  constructor(target: Writable, label: string) {
    super({ decodeStrings: false });
    this.#target = target;
    this.#label = label;
  }

  /** Writes at once and in order (the target is stderr), never buffering here. */
  override _write(
    chunk: Buffer | string,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    const text = typeof chunk === "string" ? chunk : chunk.toString("utf8");
    this.#target.write(this.labelLines(text));
    callback();
  }

  /** `text` with the label put at the start of each line it begins. */
  labelLines(text: string): string {
    let out = "";
    let position = 0;
    while (position < text.length) {
      const newline = text.indexOf("\n", position);
      const end = newline === -1 ? text.length : newline + 1;
      const piece = text.slice(position, end);
      if (this.#atLineStart) out += this.#labelled(piece);
      else out += piece;
      this.#atLineStart = newline !== -1;
      position = end;
    }
    return out;
  }

  #labelled(line: string): string {
    if (line.startsWith(toolPrefix)) {
      return `${toolPrefix}[${this.#label}] ${line.slice(toolPrefix.length)}`;
    }
    return `[${this.#label}] ${line}`;
  }
}
