/**
 * `serve --follow file`: reads a file from its start, then keeps reading what is appended, as
 * `tail -f -n +1` does. At the end of the file it looks again every `pollMs`; a file that got
 * shorter (truncated, as log rotation with copytruncate does) is read again from its start.
 * It follows the file it opened: a file renamed away is still read, as `tail -f` does (not -F).
 * The stream ends only when destroyed (the server stopping).
 */
import { type FileHandle, open } from "node:fs/promises";
import { Readable } from "node:stream";

export interface FollowOptions {
  /** How long to wait at the end of the file before looking again. */
  pollMs: number;
  /** The file got shorter than what was read: it is read again from the start. */
  onTruncated: () => void;
}

const readSize = 64 * 1024;

class FollowedFile extends Readable {
  readonly #path: string;
  readonly #options: FollowOptions;
  #file: FileHandle | undefined;
  #position = 0;
  #timer: NodeJS.Timeout | undefined;
  #reading = false;

  constructor(path: string, options: FollowOptions) {
    super({ highWaterMark: readSize });
    this.#path = path;
    this.#options = options;
  }

  override _construct(callback: (error?: Error | null) => void): void {
    open(this.#path, "r").then(
      (file) => {
        this.#file = file;
        callback();
      },
      (error: Error) => callback(error),
    );
  }

  override _read(): void {
    if (!this.#reading) void this.#readMore();
  }

  async #readMore(): Promise<void> {
    const file = this.#file;
    if (file === undefined || this.destroyed) return;
    this.#reading = true;
    try {
      const buffer = Buffer.allocUnsafeSlow(readSize);
      const { bytesRead } = await file.read(buffer, 0, readSize, this.#position);
      if (this.destroyed) return;
      if (bytesRead > 0) {
        this.#position += bytesRead;
        this.#reading = false;
        // A small append gets a buffer of its size, not a 64 KiB one pinned by its lines.
        this.push(
          bytesRead < readSize / 4
            ? Buffer.from(buffer.subarray(0, bytesRead))
            : buffer.subarray(0, bytesRead),
        );
        return;
      }
      const { size } = await file.stat();
      if (this.destroyed) return;
      if (size < this.#position) {
        this.#position = 0;
        this.#options.onTruncated();
        this.#reading = false;
        void this.#readMore();
        return;
      }
      this.#timer = setTimeout(() => {
        this.#reading = false;
        void this.#readMore();
      }, this.#options.pollMs);
    } catch (error) {
      this.destroy(error as Error);
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.#timer);
    const file = this.#file;
    this.#file = undefined;
    if (file === undefined) callback(error);
    else
      file.close().then(
        () => callback(error),
        () => callback(error),
      );
  }
}

/** The file as a stream that never ends on its own (see the module comment). */
export function followFile(path: string, options: FollowOptions): Readable {
  return new FollowedFile(path, options);
}
