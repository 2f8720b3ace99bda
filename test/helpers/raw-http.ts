/**
 * HTTP as bytes on a TCP socket, for tests that must send what no HTTP client library would
 * (any Host header, HTTP/1.0, a body cut off) and see the answer exactly as the server wrote it.
 */
import { connect, type Socket } from "node:net";

export interface RawAnswer {
  /** Everything the server sent, as latin1 text (bytes 1:1). */
  text: string;
  status: number;
  /** Header block, lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The bytes after the header block, undecoded (chunk-size lines included, if any). */
  body: string;
}

/** Parses what a server answered on a raw socket. */
export function parseRawAnswer(text: string): RawAnswer {
  const headEnd = text.indexOf("\r\n\r\n");
  const head = headEnd === -1 ? text : text.slice(0, headEnd);
  const [statusLine = "", ...headerLines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return {
    text,
    status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0),
    headers,
    body: headEnd === -1 ? "" : text.slice(headEnd + 4),
  };
}

/** Opens a TCP connection to the origin's port; resolves once connected. */
export function rawConnect(origin: string): Promise<Socket> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once("error", reject);
  });
}

/**
 * Sends `request` exactly as given and resolves with the answer once the server closes the
 * connection, or once `until` matches what arrived (then the socket is closed here).
 */
export async function rawRequest(
  origin: string,
  request: string | Buffer,
  until?: (text: string) => boolean,
): Promise<RawAnswer> {
  const socket = await rawConnect(origin);
  return new Promise((resolve) => {
    let text = "";
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(parseRawAnswer(text));
    };
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
      if (until?.(text)) finish();
    });
    socket.on("error", finish);
    socket.on("close", finish);
    socket.write(request);
  });
}

/** A GET/POST/... request head (HTTP/1.1, Connection: close unless given) with an optional body. */
export function httpRequestText(
  method: string,
  target: string,
  headers: Record<string, string>,
  body = "",
  version = "1.1",
): string {
  const all: Record<string, string> = { Connection: "close", ...headers };
  if (body !== "") all["Content-Length"] = String(Buffer.byteLength(body));
  const lines = Object.entries(all).map(([name, value]) => `${name}: ${value}\r\n`);
  return `${method} ${target} HTTP/${version}\r\n${lines.join("")}\r\n${body}`;
}
