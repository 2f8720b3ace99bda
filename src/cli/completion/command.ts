/**
 * `sse-tool completion bash|zsh|fish`: prints a completion script. The script is built by
 * walking commander's own command, option and argument definitions, so it cannot go stale.
 */
import type { Argument, Command, Help, Option } from "commander";
import { type CommandIo, processIo } from "../command-io.js";
import {
  type CompletionArgument,
  type CompletionCommand,
  type CompletionOption,
  type CompletionShell,
  type CompletionSpec,
  type CompletionValue,
  completionScript,
} from "./scripts.js";

export async function completion(
  shell: CompletionShell,
  program: Command,
  io: Pick<CommandIo, "stdout"> = processIo(),
): Promise<number> {
  io.stdout.write(completionScript(shell, completionSpecFrom(program)));
  return 0;
}

/** Describes the visible commands, options and arguments of `program` for the scripts. */
export function completionSpecFrom(program: Command): CompletionSpec {
  const help = program.createHelp();
  const commands = help.visibleCommands(program);
  const commandNames = commands.map((command) => command.name());
  return {
    programName: program.name(),
    options: describeOptions(help, program),
    commands: commands.map(
      (command): CompletionCommand => ({
        name: command.name(),
        description: command.description(),
        options: describeOptions(help, command),
        arguments: command.registeredArguments.map((argument) =>
          describeArgument(argument, command.name() === "help" ? commandNames : undefined),
        ),
      }),
    ),
  };
}

function describeOptions(help: Help, command: Command): CompletionOption[] {
  return help.visibleOptions(command).map((option) => {
    const described: CompletionOption = {
      flags: [option.short, option.long].filter((flag): flag is string => Boolean(flag)),
      description: option.description,
    };
    const value = optionValue(option);
    if (value) described.value = value;
    return described;
  });
}

/** Commander keeps the value's placeholder in `flags` (`-H, --header <header>`). */
function optionValue(option: Option): CompletionValue | undefined {
  if (!option.required && !option.optional) return undefined;
  const placeholder = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1] ?? "value";
  return valueFor(placeholder, option.argChoices);
}

/**
 * `help [command]` completes command names; other arguments by their choices, or as files
 * when named `file`.
 */
function describeArgument(argument: Argument, commandNames?: string[]): CompletionArgument {
  const name = argument.name();
  const choices = commandNames && name === "command" ? commandNames : argument.argChoices;
  return {
    name,
    value: valueFor(name, choices),
    optional: !argument.required,
    variadic: argument.variadic,
  };
}

function valueFor(name: string, choices: readonly string[] | undefined): CompletionValue {
  if (choices && choices.length > 0) return { kind: "choices", choices: [...choices] };
  if (name === "file") return { kind: "file" };
  return { kind: "text", name };
}
