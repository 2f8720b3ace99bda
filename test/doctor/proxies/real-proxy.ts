/**
 * A real proxy (nginx, Apache httpd, HAProxy, ...) for the doctor system tests: its own
 * configuration written to a temporary folder, listening on 127.0.0.1 on a free port, run in
 * the foreground as a child of the test and killed after it; never the machine's own service.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RealProxy {
  /** http://127.0.0.1:port */
  url: string;
  port: number;
  /** What the proxy printed, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

export interface RealProxySpec {
  /** The program and its arguments, given the folder and the port. */
  command: string;
  args: (dir: string, port: number) => string[];
  /** Files to write into the folder first: name to text (given the folder and the port). */
  files: (dir: string, port: number) => Record<string, string>;
  /** More environment for the program (Caddy's HOME), given the folder. */
  env?: (dir: string) => Record<string, string>;
  /** The folder open to all: a proxy started as root that drops to its own user (Squid). */
  openDir?: boolean;
  /** Run on the folder before `files` are written (copy a package's default configuration). */
  prepare?: (dir: string) => void;
}

/** A port free on 127.0.0.1 right now (the proxy binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

const startWithinMs = 20_000;

export async function startRealProxy(spec: RealProxySpec): Promise<RealProxy> {
  const dir = mkdtempSync(join(tmpdir(), "sse-tool-proxy-"));
  if (spec.openDir) chmodSync(dir, 0o777);
  const port = await freePort();
  spec.prepare?.(dir);
  for (const [name, text] of Object.entries(spec.files(dir, port))) {
    writeFileSync(join(dir, name), text);
  }
  let output = "";
  const child: ChildProcess = spawn(spec.command, spec.args(dir, port), {
    cwd: dir,
    // Debian keeps these programs in /usr/sbin, not on every user's PATH.
    env: { ...process.env, PATH: `${process.env.PATH ?? ""}:/usr/sbin:/sbin`, ...spec.env?.(dir) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once("close", () => {
      exited = true;
      resolve();
    });
    child.once("error", (error) => {
      output += String(error);
      exited = true;
      resolve();
    });
  });
  const stop = async () => {
    if (!exited) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exit;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Wait for the proxy to accept connections: the event, polled, with a generous limit.
  const deadline = Date.now() + startWithinMs;
  while (!(await accepts(port))) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`${spec.command} did not start on port ${port}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `http://127.0.0.1:${port}`, port, output: () => output, stop };
}
