/**
 * Every example in the README and in docs/*.md runs as written from a clone (issue 15): the
 * files it reads ship in examples/, and each command that needs no outside network is run, in
 * its block's order, by `sh` with `sse-tool` on the PATH — against the `serve` a block starts itself, or
 * a local stream server started here. Port 8080 is the one thing changed: to a free port.
 * The same file check covers `--help`'s examples and the demo's "Try next".
 */
import { type ChildProcess, spawn } from "node:child_process";
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { binPath, runCli } from "../helpers/cli-process.js";
import { startTestServer, type TestServer } from "../helpers/http-test-server.js";
import { readmeShellExamples, type ShellExample, shellWords } from "../helpers/readme-examples.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
/** Files an example reads that are the reader's own, not ours to ship (a company CA). */
const readersOwn = new Set(["./dev-ca.pem", "company-ca.pem"]);
const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** The files a command line reads (`-d @file`, a serve input, --replay, `cat file |`, ...). */
function filesRead(command: string): string[] {
  const words = shellWords(command);
  const read: string[] = [];
  for (const [index, word] of words.entries()) {
    const previous = words[index - 1] ?? "";
    if (previous === ">" || ["-o", "--output", "--record"].includes(previous)) continue;
    const file = word.startsWith("@") ? word.slice(1) : word;
    if (file === "-" || /^https?:\/\/|^[~$]/.test(file)) continue;
    // A glob names the files earlier steps of the recipe wrote (`--merge sse-load-*.json`).
    if (/[*?]/.test(file)) continue;
    if (/\.(ndjson|txt|json|jsonl|sse|pem)$/.test(file)) read.push(file);
  }
  return read;
}

/** The files a command line writes (`> file`, `-o file`, `--record file`). */
function filesWritten(command: string): string[] {
  const words = shellWords(command);
  return words.filter((_word, index) =>
    [">", "-o", "--output", "--record"].includes(words[index - 1] ?? ""),
  );
}

/** Missing files read by these command lines (one block: a file written earlier counts). */
function missingFiles(commands: ShellExample[]): string[] {
  const written = new Set<string>();
  const missing: string[] = [];
  for (const { block, command, page } of commands) {
    for (const file of filesRead(command)) {
      const known = written.has(`${block}:${file}`) || readersOwn.has(file);
      if (!known && !existsSync(join(repo, file))) {
        missing.push(`${file} (in ${page ?? "--help or the demo"}: ${command})`);
      }
    }
    for (const file of filesWritten(command)) written.add(`${block}:${file}`);
  }
  return missing;
}

/** Why a command line is not run here, or undefined when it is. */
function notRunBecause(command: string): string | undefined {
  const words = shellWords(command);
  if (!words.includes("sse-tool") && words[0] !== "curl") return "not sse-tool (npm, mkdir, ...)";
  if (command.includes("$")) return "uses your own variable (a key, $URL)";
  if (words.includes("completion")) return "installs into your home directory";
  // load holds hundreds of clients for a minute against your own server, or merges the reports
  // of such runs; test/load runs it against servers of its own.
  if (words[words.indexOf("sse-tool") + 1] === "load") return "loads your own server";
  if (filesRead(command).some((file) => readersOwn.has(file))) return "needs your own CA";
  for (const word of words) {
    const url = /^https?:\/\/([^/:]+|\[[^\]]+\])(?::(\d+))?/.exec(word);
    if (url && !loopbackHosts.has(url[1]!)) return "needs the outside network";
    // The examples' own servers listen on 8080; another local port is your app (useChat's).
    if (url && url[2] !== "8080") return "talks to your own local app";
  }
  return undefined;
}

const sampleEvents = readFileSync(join(repo, "examples/events.ndjson"), "utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line) as { event?: string; data?: unknown; comment?: string });

/** Any path: the example events with ids, then the end; a reconnect is told to stop (204). */
function exampleStream(request: IncomingMessage, response: ServerResponse): void {
  if (request.headers["last-event-id"] !== undefined) {
    response.writeHead(204).end();
    return;
  }
  response.writeHead(200, { "content-type": "text/event-stream" });
  let body = "retry: 100\n\n";
  for (const [index, event] of sampleEvents.entries()) {
    if (event.comment !== undefined) continue;
    const data = typeof event.data === "string" ? event.data : JSON.stringify(event.data);
    body += `id: ${index + 1}\n${event.event ? `event: ${event.event}\n` : ""}data: ${data}\n\n`;
  }
  response.end(body);
}

let workDir: string;
let binDir: string;
let streams: TestServer;
beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "sse-tool-readme-"));
  symlinkSync(join(repo, "examples"), join(workDir, "examples"));
  binDir = join(workDir, "bin");
  const shim = join(workDir, "bin", "sse-tool");
  mkdirSync(binDir);
  writeFileSync(
    shim,
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(binPath)} "$@"\n`,
  );
  chmodSync(shim, 0o755);
  streams = await startTestServer({});
  streams.server.removeAllListeners("request");
  streams.server.on("request", exampleStream);
});
afterAll(() => streams.close());

interface ShellRun {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

function sh(command: string, killAfterMs = 20_000): ShellRun {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${binDir}:${process.env.PATH}` };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  const child = spawn("sh", ["-c", command], { cwd: workDir, env, detached: true });
  const run: ShellRun = { child, stdout: "", stderr: "", exited: Promise.resolve(null) };
  child.stdout?.on("data", (chunk: Buffer) => {
    run.stdout += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    run.stderr += chunk.toString("utf8");
  });
  const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), killAfterMs);
  run.exited = new Promise((resolve) =>
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve(code);
    }),
  );
  return run;
}

async function waitFor(run: ShellRun, pattern: RegExp): Promise<RegExpExecArray> {
  for (let waited = 0; waited < 15_000; waited += 20) {
    const match = pattern.exec(run.stderr);
    if (match) return match;
    if (run.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no ${pattern} from the example:\n${run.stderr}`);
}

const withPort = (command: string, port: string) =>
  command
    .replace(/\b(localhost|127\.0\.0\.1):8080\b/g, `$1:${port}`)
    .replace(/(^|\s):8080\//g, `$1:${port}/`);

describe("the examples of the README and docs/", () => {
  it("every file an example reads ships in the clone (README, docs/, --help, demo)", async () => {
    const documented = readmeShellExamples();
    expect(new Set(documented.map(({ page }) => page))).toContain("docs/serve.md");
    expect(missingFiles(documented)).toEqual([]);
    const helpExamples: ShellExample[] = [];
    for (const command of ["", "listen", "serve", "doctor"]) {
      const help = await runCli(command === "" ? ["--help"] : [command, "--help"]);
      for (const line of help.stdout.split("\n")) {
        if (/^ {2}\S/.test(line) && line.includes("sse-tool ")) {
          helpExamples.push({ block: -1, command: line.trim() });
        }
      }
    }
    expect(helpExamples.length).toBeGreaterThan(15);
    expect(missingFiles(helpExamples)).toEqual([]);
    const demo = await runCli(["demo", "--no-color"]);
    const tryNext = demo.stderr
      .slice(demo.stderr.indexOf("Try next:"))
      .split("\n")
      .filter((line) => line.includes("sse-tool "))
      .map((line) => ({ block: -2, command: line.trim().split(/\s{2,}/)[0]! }));
    expect(tryNext.length).toBeGreaterThan(3);
    expect(missingFiles(tryNext)).toEqual([]);
  });

  it("every example that needs no outside network runs as written", async () => {
    const examples = readmeShellExamples();
    const ran: string[] = [];
    const notWritten = new Set<string>();
    const serversLeftOut = new Set<number>();
    let server: { run: ShellRun; port: string; block: number } | undefined;
    const stopServer = async () => {
      if (!server) return;
      const { run } = server;
      server = undefined;
      if (run.child.exitCode === null) process.kill(-run.child.pid!, "SIGINT");
      await run.exited;
      // Ctrl-C: serve flushes, closes and exits 0.
      expect(run.stderr).toContain("exit status 0\n");
    };
    try {
      for (const { block, command, page } of examples) {
        if (server && server.block !== block) await stopServer();
        // A file an example left out would have written (a recording of a remote stream) leaves
        // out what reads it.
        const needsSkipped = filesRead(command).some((file) => notWritten.has(`${block}:${file}`));
        const words = shellWords(command);
        const isServe = words.some(
          (word, index) => word === "serve" && words[index - 1] === "sse-tool",
        );
        // A client of a server the block started but that was left out has nothing to talk to.
        const serverLeftOut = !isServe && !server && serversLeftOut.has(block);
        if (notRunBecause(command) !== undefined || needsSkipped || serverLeftOut) {
          for (const file of filesWritten(command)) notWritten.add(`${block}:${file}`);
          if (isServe) serversLeftOut.add(block);
          continue;
        }
        const serveAt = words.findIndex(
          (word, index) => word === "serve" && words[index - 1] === "sse-tool",
        );
        if (serveAt !== -1) {
          await stopServer();
          const started = command.includes("--port 8080")
            ? command.replace("--port 8080", "--port 0")
            : command.replace("sse-tool serve", "sse-tool serve --port 0");
          // The shell ignores Ctrl-C, as an interactive one does for its foreground job, and
          // says how the job ended.
          const run = sh(`trap '' INT; ${started}; echo "exit status $?" >&2`, 60_000);
          const [, port] = await waitFor(run, /serving http:\/\/\S+?:(\d+)\//);
          // Answering a request, serve is past its start-up (its Ctrl-C handler set).
          await fetch(`http://127.0.0.1:${port}/`).then((response) => response.arrayBuffer());
          server = { run, port: port!, block };
          if (process.env.SSE_TOOL_TRACE) {
            appendFileSync(process.env.SSE_TOOL_TRACE, `${Date.now()} serve ${started}\n`);
          }
          ran.push(command);
          continue;
        }
        const port = server?.port ?? new URL(streams.url).port;
        let local = withPort(command, port);
        // curl -N reads a served stream until stopped: a few seconds of it.
        const endless = /^curl -N /.test(local);
        if (endless) local = local.replace("curl -N", "curl -N -m 2");
        const run = sh(local);
        const code = await run.exited;
        if (process.env.SSE_TOOL_TRACE) {
          appendFileSync(process.env.SSE_TOOL_TRACE, `${Date.now()} ${code} ${local}\n`);
        }
        if (endless) {
          expect(code, `${command}\n${run.stderr}`).toBe(28);
          expect(run.stdout, command).toContain("data:");
        } else {
          expect(code, `${page}: ${command}\n${run.stdout}\n${run.stderr}`).toBe(0);
        }
        ran.push(command);
      }
      await stopServer();
    } finally {
      if (server) process.kill(-server.run.child.pid!, "SIGKILL");
    }
    // The listen, serve, replay, faults, LLM fake and publishing examples at least.
    expect(ran.length).toBeGreaterThan(25);
  }, 240_000);
});
