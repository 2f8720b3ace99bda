/**
 * A raw TCP server on 127.0.0.1 port 0, for answers no HTTP library would send: `answer` gets
 * each connection with the first bytes it sent and writes whatever it likes. `close()` also
 * destroys the connections still open.
 */
import { type AddressInfo, createServer, type Socket } from "node:net";

export interface RawTcpServer {
  /** http://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
}

export async function startRawTcpServer(
  answer: (socket: Socket, firstChunk: Buffer) => void,
): Promise<RawTcpServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
    socket.once("data", (chunk: Buffer) => answer(socket, chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
