/**
 * `listen -o <file>`: the events go to a file instead of stdout (created or truncated, as curl
 * does); stderr keeps the progress lines. The file is open before anything is connected, so an
 * unwritable path is one error line and nothing else.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { SseToolError } from "../../errors.js";

export async function openOutputFile(path: string): Promise<WriteStream> {
  const stream = createWriteStream(path);
  await new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new SseToolError("input", `cannot write ${path}: ${error.code ?? error.message}`, {
          cause: error,
        }),
      ),
    );
  });
  return stream;
}

/** Ends the file and waits until every byte is written (or the write failed). */
export function closeOutputFile(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed) return resolve();
    stream.once("close", () => resolve());
    stream.end();
  });
}
