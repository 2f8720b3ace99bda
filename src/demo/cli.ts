/** `sse-tool demo`'s declaration; the command line (src/main.ts) runs it with command.ts. */
import type { Command } from "commander";

export interface DemoCliOptions {
  color: boolean;
}

/** Declares `demo` on the program; the caller adds the action. */
export function declareDemo(program: Command): Command {
  return program
    .command("demo")
    .description("Serve a built-in sample stream and listen to it: see what sse-tool shows.")
    .option("--no-color", "no colours");
}
