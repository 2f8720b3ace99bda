/**
 * Spawns the built binary (`node bin/sse-tool.js`) exactly as a user runs it, and waits for
 * output by content, never by sleeping.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const binPath = fileURLToPath(new URL("../../bin/sse-tool.js", import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

export interface CliRunOptions {
  /** Written to stdin, then stdin is closed. Default: stdin closed at once. */
  stdin?: string | Buffer;
  /** Extra environment variables; NO_COLOR and FORCE_COLOR are cleared unless set here. */
  env?: Record<string, string | undefined>;
  /** Kill with SIGKILL after this many ms (the test then fails on the code). Default 20 s. */
  killAfterMs?: number;
  cwd?: string;
}

/** A running CLI process whose output can be awaited. */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = "";
  stderr = "";
  readonly #stdoutChunks: Buffer[] = [];
  readonly exited: Promise<CliResult>;
  #waiters: Array<() => void> = [];

  constructor(args: string[], options: CliRunOptions = {}) {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined };
    for (const [key, value] of Object.entries(options.env ?? {})) env[key] = value;
    for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
    this.child = spawn(process.execPath, [binPath, ...args], {
      env,
      cwd: options.cwd,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stdout?.on("data", (chunk: Buffer) => {
      this.#stdoutChunks.push(chunk);
      this.stdout += chunk.toString("utf8");
      this.#notify();
    });
    this.child.stderr?.on("data", (chunk: Buffer) => {
      this.stderr += chunk.toString("utf8");
      this.#notify();
    });
    this.child.stdin?.on("error", () => {});
    if (options.stdin !== undefined) this.child.stdin?.end(options.stdin);
    const killTimer = setTimeout(() => this.child.kill("SIGKILL"), options.killAfterMs ?? 20_000);
    this.exited = new Promise((resolve) => {
      this.child.on("close", (code, signal) => {
        clearTimeout(killTimer);
        this.#notify();
        resolve({
          code,
          signal,
          stdout: this.stdout,
          stderr: this.stderr,
          stdoutBytes: Buffer.concat(this.#stdoutChunks),
        });
      });
    });
  }

  /** Resolves once stdout matches; rejects if the process exits first or after `timeoutMs`. */
  waitForStdout(pattern: RegExp | string, timeoutMs = 15_000): Promise<string> {
    return this.#waitFor(() => this.stdout, pattern, "stdout", timeoutMs);
  }

  /** Resolves once stderr matches; rejects if the process exits first or after `timeoutMs`. */
  waitForStderr(pattern: RegExp | string, timeoutMs = 15_000): Promise<string> {
    return this.#waitFor(() => this.stderr, pattern, "stderr", timeoutMs);
  }

  kill(signal: NodeJS.Signals = "SIGTERM"): void {
    this.child.kill(signal);
  }

  #notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter();
  }

  #waitFor(
    read: () => string,
    pattern: RegExp | string,
    stream: string,
    timeoutMs: number,
  ): Promise<string> {
    const matches = () =>
      typeof pattern === "string" ? read().includes(pattern) : pattern.test(read());
    return new Promise((resolve, reject) => {
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        reject(new Error(`timed out waiting for ${stream} to match ${pattern}\n${this.#dump()}`));
      }, timeoutMs);
      const check = () => {
        if (done) return;
        if (matches()) {
          done = true;
          clearTimeout(timer);
          resolve(read());
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          done = true;
          clearTimeout(timer);
          reject(new Error(`process exited before ${stream} matched ${pattern}\n${this.#dump()}`));
        } else {
          this.#waiters.push(check);
        }
      };
      check();
    });
  }

  #dump(): string {
    return `--- stdout ---\n${this.stdout.slice(-2000)}\n--- stderr ---\n${this.stderr.slice(-2000)}`;
  }
}

/** Starts the CLI; remember to await `exited` or kill it. */
export function startCli(args: string[], options?: CliRunOptions): CliProcess {
  return new CliProcess(args, options);
}

/** Runs the CLI to completion. */
export function runCli(args: string[], options?: CliRunOptions): Promise<CliResult> {
  return new CliProcess(args, options).exited;
}

/** Quotes a word for `sh`. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** The command line that runs the built binary with `args`, quoted for `sh`. */
export function shellCommand(args: string[]): string {
  return [process.execPath, binPath, ...args].map(shellQuote).join(" ");
}

/**
 * Runs `sh -c <script>` (a real shell: `ulimit`, `script`, pipes) and collects its output.
 * NO_COLOR and FORCE_COLOR are cleared unless set in `env`.
 */
export function runShell(
  script: string,
  env: Record<string, string | undefined> = {},
  killAfterMs = 20_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: undefined,
    FORCE_COLOR: undefined,
    ...env,
  };
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  const child = spawn("sh", ["-c", script], { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const killTimer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
  return new Promise((resolve) =>
    child.on("close", (code) => {
      clearTimeout(killTimer);
      resolve({ code, stdout, stderr });
    }),
  );
}
