/**
 * The command line: registers the commands. A command's declaration (src/<command>/cli.ts) is
 * loaded only when that command is run, or when all are needed (top-level help, completion, an
 * unknown name); its work (command.ts) only in its action. So start-up loads one command's
 * flags, and nothing of the others.
 */
import { type Command, CommanderError } from "commander";
import type { CompletionShell } from "./cli/completion/cli.js";
import { createProgram } from "./cli/program.js";
import type { CommandAction } from "./cli/run-command.js";
import type { DemoCliOptions } from "./demo/cli.js";
import type { DoctorCliOptions } from "./doctor/cli.js";
import { ExitCode } from "./errors.js";
import type { ListenCliOptions } from "./listen/cli.js";
import type { LoadCliOptions } from "./load/cli.js";
import type { McpCliOptions } from "./mcp/cli.js";
import type { ServeCliOptions } from "./serve/cli.js";

/** The command boundary (src/cli/run-command.ts), loaded only when a command runs. */
async function runCommand(action: CommandAction): Promise<void> {
  await (await import("./cli/run-command.js")).runCommand(action);
}

/** V8 set for reading one long stream: only the command line's listen and doctor. */
async function forOneLongStream(): Promise<void> {
  (await import("./cli/runtime-flags.js")).applyStreamingRuntimeFlags();
}

/** Each command, in the order --help lists them: declared on the program, with its action. */
const commands: Record<string, (program: Command) => Promise<void>> = {
  async listen(program) {
    (await import("./listen/cli.js"))
      .declareListen(program)
      .action((urls: string[], options: ListenCliOptions) =>
        runCommand(async () => {
          await forOneLongStream();
          return (await import("./listen/command.js")).listenCommand(urls, options);
        }),
      );
  },
  async serve(program) {
    (await import("./serve/cli.js"))
      .declareServe(program)
      // --llm-fake is a mode of its own: the fake API instead of the input pump.
      .action((file: string | undefined, options: ServeCliOptions) =>
        runCommand(async () =>
          options.mcpFake !== undefined
            ? (await import("./serve/mcp-fake-command.js")).serveMcpFake(
                file,
                options.mcpFake,
                options,
              )
            : options.llmFake === undefined
              ? (await import("./serve/command.js")).serve(file, options)
              : (await import("./serve/llm-fake-command.js")).serveLlmFake(
                  file,
                  options.llmFake,
                  options,
                ),
        ),
      );
  },
  async demo(program) {
    (await import("./demo/cli.js"))
      .declareDemo(program)
      .action((options: DemoCliOptions) =>
        runCommand(async () => (await import("./demo/command.js")).demo(options)),
      );
  },
  async doctor(program) {
    (await import("./doctor/cli.js"))
      .declareDoctor(program)
      .action((url: string, options: DoctorCliOptions) =>
        runCommand(async () => {
          await forOneLongStream();
          return (await import("./doctor/command.js")).doctor(url, options);
        }),
      );
  },
  async load(program) {
    (await import("./load/cli.js"))
      .declareLoad(program)
      .action((url: string | undefined, options: LoadCliOptions) =>
        runCommand(async () => (await import("./load/command.js")).load(url, options)),
      );
  },
  async mcp(program) {
    (await import("./mcp/cli.js"))
      .declareMcp(program)
      .action((url: string, request: string[], options: McpCliOptions) =>
        runCommand(async () => (await import("./mcp/command.js")).mcp(url, request, options)),
      );
  },
  async completion(program) {
    (await import("./cli/completion/cli.js"))
      .declareCompletion(program)
      .action((shell: CompletionShell) =>
        runCommand(async () =>
          (await import("./cli/completion/command.js")).completion(shell, program),
        ),
      );
  },
};

/** The command named on the command line (`sse-tool help listen` names listen). */
function namedCommand(args: readonly string[]): string | undefined {
  const index = args.findIndex((arg) => !arg.startsWith("-"));
  return args[index] === "help" ? args[index + 1] : args[index];
}

const program = createProgram();

// Completion walks every command; so do top-level help and commander's "did you mean".
const named = namedCommand(process.argv.slice(2));
const onlyOne = named !== undefined && named !== "completion" && Object.hasOwn(commands, named);
for (const [name, register] of Object.entries(commands)) {
  if (!onlyOne || name === named) await register(program);
}

try {
  await program.parseAsync();
} catch (error) {
  // Commander already printed its message; help and --version end with exit code 0.
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  } else {
    throw error;
  }
}
