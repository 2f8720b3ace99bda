/**
 * Route handlers and helpers for `listen` end-to-end tests: streams written byte by byte,
 * streams that stall, and a shell runner for real pipelines (`listen URL | head -n 3`).
 */
import { spawn } from "node:child_process";
import type { ServerResponse } from "node:http";
import { binPath, shellQuote } from "./cli-process.js";
import { eventStreamHeaders, type RouteHandler } from "./http-test-server.js";

/** Writes `bytes` one byte per write, each after the previous was flushed, then ends. */
export function dripBytes(bytes: Uint8Array): RouteHandler {
  return (_request, response) => {
    response.writeHead(200, eventStreamHeaders);
    response.flushHeaders();
    let index = 0;
    const next = () => {
      if (response.destroyed) return;
      if (index >= bytes.length) {
        response.end();
        return;
      }
      response.write(bytes.subarray(index, index + 1), () => setImmediate(next));
      index++;
    };
    next();
  };
}

/** Writes `text` and keeps the response open until the client goes away. */
export function sendThenHang(
  text: string | Uint8Array,
  headers = eventStreamHeaders,
): RouteHandler {
  return (_request, response) => {
    response.writeHead(200, headers);
    response.write(text);
  };
}

/** Writes one numbered event every `intervalMs` forever (until the client goes away). */
export function endlessCounter(intervalMs = 5): RouteHandler {
  return (_request, response: ServerResponse) => {
    response.writeHead(200, eventStreamHeaders);
    let n = 0;
    const timer = setInterval(() => {
      n++;
      response.write(`id: ${n}\ndata: event ${n}\n\n`);
    }, intervalMs);
    response.on("close", () => clearInterval(timer));
  };
}

export interface ShellResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `sse-tool <args> | <consumer>` through `sh -c`, with a real pipe between them.
 * stderr is sse-tool's alone (the consumer's stderr is discarded).
 */
export function runPipeline(args: string[], consumer: string): Promise<ShellResult> {
  const quote = shellQuote;
  return new Promise((resolve) => {
    // `set -o pipefail` is not in every sh; run the producer's status through a file instead.
    const script = `status_file=$(mktemp); { ${quote(process.execPath)} ${quote(binPath)} ${args.map(quote).join(" ")}; echo $? > "$status_file"; } | ${consumer} 2>/dev/null; code=$(cat "$status_file"); rm -f "$status_file"; exit "$code"`;
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NO_COLOR;
    delete env.FORCE_COLOR;
    const child = spawn("sh", ["-c", script], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const killTimer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("close", (code) => {
      clearTimeout(killTimer);
      resolve({ code, stdout, stderr });
    });
  });
}
