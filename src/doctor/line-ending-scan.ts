/**
 * Counts the line terminators of raw event-stream bytes (LF, CRLF, lone CR) and the longest
 * line, across chunk boundaries. Pure; used by `doctor`, which reports how a server ends its
 * lines (HTML §9.2.5 allows all three, but not every client library does).
 */

const LF = 0x0a;
const CR = 0x0d;

export interface LineEndingCounts {
  lf: number;
  crlf: number;
  cr: number;
  /** The longest line seen, in bytes, terminator excluded. */
  longestLineBytes: number;
}

export class LineEndingScan {
  readonly counts: LineEndingCounts = { lf: 0, crlf: 0, cr: 0, longestLineBytes: 0 };
  /** The previous chunk ended in CR: its kind depends on the next byte. */
  #pendingCr = false;
  #lineBytes = 0;

  feed(bytes: Uint8Array): void {
    for (const byte of bytes) {
      if (this.#pendingCr) {
        this.#pendingCr = false;
        if (byte === LF) {
          this.counts.crlf++;
          continue;
        }
        this.counts.cr++;
      }
      if (byte === LF) {
        this.counts.lf++;
        this.#endLine();
      } else if (byte === CR) {
        this.#pendingCr = true;
        this.#endLine();
      } else {
        this.#lineBytes++;
      }
    }
  }

  /** The body ended: a CR still waiting for its LF was a lone CR. */
  end(): void {
    if (this.#pendingCr) this.counts.cr++;
    this.#pendingCr = false;
    if (this.#lineBytes > this.counts.longestLineBytes) {
      this.counts.longestLineBytes = this.#lineBytes;
    }
    this.#lineBytes = 0;
  }

  #endLine(): void {
    if (this.#lineBytes > this.counts.longestLineBytes) {
      this.counts.longestLineBytes = this.#lineBytes;
    }
    this.#lineBytes = 0;
  }
}
