/**
 * A command's I/O for in-process tests: stdout and stderr collected as text, an empty stdin,
 * no environment, and an AbortController that stops the command as Ctrl-C would.
 */
import { PassThrough, Writable } from "node:stream";
import { Command } from "commander";
import type { CommandIo } from "../../src/cli/command-io.js";

export interface CollectedIo {
  io: CommandIo & { stdin: PassThrough };
  stdout(): string;
  stderr(): string;
  /** Resolves with stderr once a line matches. */
  stderrLine(pattern: RegExp): Promise<RegExpExecArray>;
  stop: AbortController;
}

export function collectedIo(): CollectedIo {
  const text = { stdout: "", stderr: "" };
  const waiting: Array<() => void> = [];
  const collect = (name: keyof typeof text) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        text[name] += chunk.toString();
        for (const check of waiting.splice(0)) check();
        done();
      },
    });
  const stop = new AbortController();
  return {
    io: {
      stdout: collect("stdout"),
      stderr: collect("stderr"),
      stdin: new PassThrough(),
      env: {},
      signal: stop.signal,
    },
    stdout: () => text.stdout,
    stderr: () => text.stderr,
    stderrLine: (pattern) =>
      new Promise((resolve) => {
        const check = () => {
          const match = pattern.exec(text.stderr);
          if (match) resolve(match);
          else waiting.push(check);
        };
        check();
      }),
    stop,
  };
}

/** The options a command's declaration gives these arguments, as the command line parses them. */
export function parsedOptions<Options>(
  declare: (program: Command) => Command,
  args: readonly string[],
): Options {
  let parsed: Options | undefined;
  const program = new Command().exitOverride();
  declare(program).action((...values: unknown[]) => {
    parsed = values.at(-2) as Options;
  });
  program.parse([...args], { from: "user" });
  if (parsed === undefined) throw new Error(`no options parsed from ${args.join(" ")}`);
  return parsed;
}
