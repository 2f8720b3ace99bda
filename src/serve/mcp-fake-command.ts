/**
 * `sse-tool serve --mcp-fake <file>`: an MCP server (Streamable HTTP, at /mcp or --path) whose
 * tools, resources and prompts come from the file, checked first (one line per mistake, exit
 * 2). serve's access rules hold (loopback Host and Origin only unless widened, --token); it
 * runs until SIGINT/SIGTERM.
 */
import { readFile, stat } from "node:fs/promises";
import { type CommandIo, processIo } from "../cli/command-io.js";
import { ExitCode, SseToolError } from "../errors.js";
import { escapeForTerminalLine } from "../terminal/escape.js";
import { whenInterrupted } from "../terminal/interrupts.js";
import { checkServeAccess } from "./access/serve-access.js";
import { defaultStreamPath, type ServeCliOptions } from "./cli.js";
import { serveLog, serveStopSignals } from "./command-setup.js";
import { closeFlushTimeoutMs } from "./endpoint.js";
import { describeFaults } from "./faults/fault-options.js";
import { openMcpFake } from "./mcp-fake/open.js";
import { maxToolsFileBytes, readToolsText } from "./mcp-fake/tools-file-check.js";

export async function serveMcpFake(
  input: string | undefined,
  file: string,
  options: ServeCliOptions,
  io: CommandIo = processIo(),
): Promise<number> {
  const others = [
    input === undefined ? undefined : "input file",
    options.follow ? "--follow" : undefined,
    options.replay === undefined ? undefined : "--replay",
    options.llmFake === undefined ? undefined : "--llm-fake",
    options.script === undefined ? undefined : "--script",
    describeFaults(options).length > 0
      ? "the stream faults (each request chooses its own with SSE-Tool-Fault)"
      : undefined,
  ].filter((other) => other !== undefined);
  if (others.length > 0) {
    throw new SseToolError(
      "usage",
      `--mcp-fake serves the tools file alone: no ${others.join(", ")} with it`,
    );
  }
  let text: string;
  try {
    if ((await stat(file)).size > maxToolsFileBytes) {
      return report(file, [`the file is over ${maxToolsFileBytes} bytes`], io.stderr);
    }
    text = await readFile(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new SseToolError("input", `cannot read --mcp-fake ${file}: ${reason}`, { cause: error });
  }
  const checked = readToolsText(text);
  if (checked.problems !== undefined) return report(file, checked.problems, io.stderr);
  const serveAccess = await checkServeAccess(options, io.env);
  const { say, log } = serveLog(options, io.stderr);
  const path = options.path === defaultStreamPath ? "/mcp" : options.path;
  const { server, path: endpointPath } = await openMcpFake(
    checked.tools,
    { host: options.host, port: options.port, path, heartbeat: options.heartbeat },
    log,
    serveAccess,
  );
  const url = await server.listen();
  const stop = whenInterrupted({ signals: serveStopSignals, signal: io.signal });
  try {
    const counts = checked.tools;
    say(
      `serving ${new URL(url).origin}${endpointPath} as an MCP server: ` +
        `${counts.tools?.length ?? 0} tools, ${counts.resources?.length ?? 0} resources, ` +
        `${counts.prompts?.length ?? 0} prompts of ${escapeForTerminalLine(file)} (Ctrl-C to stop)`,
    );
    await stop.interrupted;
    await server.close(closeFlushTimeoutMs);
    return 0;
  } finally {
    stop.remove();
  }
}

function report(file: string, problems: string[], stderr: CommandIo["stderr"]): number {
  for (const problem of problems) {
    stderr.write(`sse-tool: ${escapeForTerminalLine(`${file}: ${problem}`)}\n`);
  }
  return ExitCode.usage;
}
