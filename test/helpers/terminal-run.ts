/**
 * Runs the built binary on a real pseudo-terminal (util-linux `script`), as a user at a
 * terminal runs it: stdout and stderr are TTYs, and what the test reads is exactly what the
 * terminal received (both streams, in order, with CR LF line ends).
 */
import { spawn } from "node:child_process";
import { binPath } from "./cli-process.js";

export interface TerminalResult {
  code: number | null;
  /** Everything the terminal received. */
  screen: string;
}

const quote = (argument: string) => `'${argument.replaceAll("'", `'\\''`)}'`;

export function runInTerminal(
  args: string[],
  options: { env?: Record<string, string>; killAfterMs?: number } = {},
): Promise<TerminalResult> {
  const command = [process.execPath, binPath, ...args].map(quote).join(" ");
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: "xterm-256color", ...options.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  return new Promise((resolve) => {
    const child = spawn("script", ["-qfec", command, "/dev/null"], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.killAfterMs ?? 20_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, screen: Buffer.concat(chunks).toString("utf8") });
    });
  });
}

/**
 * What the terminal received, less the sequences sse-tool writes on purpose (SGR colours, the
 * live line's carriage return and erase-line) and line ends: what is left must hold nothing a
 * terminal acts on.
 */
export function withoutOwnSequences(screen: string): string {
  return screen
    .replace(/\x1b\[[0-9;]*m/g, "")
    .replace(/\r?\x1b\[2K/g, "")
    .replace(/\r\n/g, "\n")
    .replace(/\r/g, "");
}

/** A run on a pseudo-terminal whose keys a test can type (Ctrl-C is "\x03"). */
export interface TerminalSession {
  /** Everything the terminal received so far. */
  screen(): string;
  /** Resolves once the screen matches (rejects after `timeoutMs`). */
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<void>;
  type(keys: string): void;
  exited: Promise<TerminalResult>;
}

export function startInTerminal(args: string[]): TerminalSession {
  const command = [process.execPath, binPath, ...args].map(quote).join(" ");
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: "xterm-256color" };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  const child = spawn("script", ["-qfec", command, "/dev/null"], {
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const chunks: Buffer[] = [];
  const waiters: Array<() => void> = [];
  const screen = () => Buffer.concat(chunks).toString("utf8");
  const onData = (chunk: Buffer) => {
    chunks.push(chunk);
    for (const waiter of waiters.splice(0)) waiter();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const exited = new Promise<TerminalResult>((resolve) => {
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, screen: screen() });
    });
  });
  return {
    screen,
    exited,
    type: (keys) => child.stdin.write(keys),
    waitFor: (pattern, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const failAt = setTimeout(
          () => reject(new Error(`timed out waiting for ${pattern}:\n${screen()}`)),
          timeoutMs,
        );
        const check = () => {
          const text = screen();
          if (typeof pattern === "string" ? text.includes(pattern) : pattern.test(text)) {
            clearTimeout(failAt);
            resolve();
          } else waiters.push(check);
        };
        check();
      }),
  };
}
