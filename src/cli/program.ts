/**
 * The program before any command is declared on it: its name, version and top-level help, where
 * commander writes (commander-output.ts), and usage errors thrown to the caller, not exited.
 */
import { Command } from "commander";
import packageJson from "../../package.json" with { type: "json" };
import { exitCodeHelp } from "../errors.js";
import { commanderOutput, stripControlSequences } from "./commander-output.js";

export function createProgram(): Command {
  return new Command("sse-tool")
    .description("Inspect, debug and fake Server-Sent Events (SSE) streams.")
    .version(packageJson.version, "-V, --version")
    .configureOutput(commanderOutput)
    .configureHelp({ displayWidth: (text) => stripControlSequences(text).length })
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .addHelpText(
      "after",
      () => `
Examples:
  sse-tool listen https://example.com/events
  sse-tool listen --json https://example.com/events | jq .data
  curl -sN https://example.com/events | sse-tool listen -
  cat examples/events.ndjson | sse-tool serve --port 8080
  sse-tool doctor https://example.com/events
  sse-tool load -c 1000 --duration 60 http://localhost:8080/events
  sse-tool mcp http://localhost:3000/mcp
  sse-tool demo

${exitCodeHelp}`,
    );
}
