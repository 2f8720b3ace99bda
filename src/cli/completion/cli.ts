/** `sse-tool completion`'s declaration; the command line (src/main.ts) runs it with command.ts. */
import type { Command } from "commander";

export type { CompletionShell } from "./scripts.js";

/** Declares `completion` on the program; the caller adds the action. */
export function declareCompletion(program: Command): Command {
  return program
    .command("completion")
    .description(
      "Print a completion script for your shell (docs/completion.md says how to install it).",
    )
    .addArgument(
      program
        .createArgument("<shell>", "the shell to complete for")
        .choices(["bash", "zsh", "fish"]),
    )
    .addHelpText(
      "after",
      `
Examples:
  sse-tool completion bash > ~/.local/share/bash-completion/completions/sse-tool
  sse-tool completion zsh > ~/.zfunc/_sse-tool     # a directory on $fpath
  sse-tool completion fish > ~/.config/fish/completions/sse-tool.fish`,
    );
}
