/**
 * The pure script generators with descriptions full of shell metacharacters: quotes, brackets,
 * colons, `$`, backslashes must neither break the scripts nor change the text shown.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CompletionShell,
  type CompletionSpec,
  completionScript,
  completionShells,
} from "../../../src/cli/completion/scripts.js";

const execFileAsync = promisify(execFile);

const trickyText = `it's "quoted" [x]: $HOME \`id\` \\n; done`;

const spec: CompletionSpec = {
  programName: "my-prog",
  options: [{ flags: ["-V", "--version"], description: trickyText }],
  commands: [
    {
      name: "say",
      description: trickyText,
      options: [
        {
          flags: ["-m", "--mode"],
          description: trickyText,
          value: { kind: "choices", choices: ["loud", "quiet"] },
        },
        { flags: ["--name"], description: trickyText, value: { kind: "text", name: "name" } },
        { flags: ["--dry-run"], description: trickyText },
      ],
      arguments: [
        {
          name: "words",
          value: { kind: "choices", choices: ["hello", "bye"] },
          optional: false,
          variadic: true,
        },
      ],
    },
  ],
};

let workDir: string;
const paths = {} as Record<CompletionShell, string>;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "sse-tool-completion-script-"));
  for (const shell of completionShells) {
    paths[shell] = join(workDir, `script.${shell}`);
    await writeFile(paths[shell], completionScript(shell, spec));
  }
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

async function bashComplete(words: string[]): Promise<string[]> {
  const program = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
_my_prog_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const { stdout } = await execFileAsync("bash", [
    "--norc",
    "-c",
    program,
    "bash",
    paths.bash,
    ...words,
  ]);
  return stdout.split("\n").filter((line) => line !== "");
}

describe("completion scripts with shell metacharacters in descriptions", () => {
  it("pass the syntax check of bash, zsh and fish", async () => {
    await execFileAsync("bash", ["-n", paths.bash]);
    await execFileAsync("zsh", ["-n", paths.zsh]);
    await execFileAsync("fish", ["--no-config", "-n", paths.fish]);
  });

  it("bash: derives the function name and completes choices, variadic arguments and options", async () => {
    expect(await bashComplete(["my-prog", ""])).toEqual(["say"]);
    expect(await bashComplete(["my-prog", "say", "--mode", ""])).toEqual(["loud", "quiet"]);
    expect(await bashComplete(["my-prog", "say", "-m", "loud", "hello", "b"])).toEqual(["bye"]);
    expect(await bashComplete(["my-prog", "say", "--name", ""])).toEqual([]);
    expect(await bashComplete(["my-prog", "say", "--d"])).toEqual(["--dry-run"]);
  });

  it("fish: shows the descriptions unchanged", async () => {
    const { stdout } = await execFileAsync("fish", [
      "--no-config",
      "-c",
      'source $argv[1]; complete -C "my-prog s"; complete -C "my-prog say --dr"',
      paths.fish,
    ]);
    expect(stdout).toBe(`say\t${trickyText}\n--dry-run\t${trickyText}\n`);
  });

  it("zsh: keeps the description inside one quoted word per spec", async () => {
    // Print the words of the command list exactly as zsh parses them.
    const { stdout } = await execFileAsync("zsh", [
      "-f",
      "-c",
      'source "$1" 2>/dev/null; functions _my_prog >/dev/null && print ok',
      "zsh",
      paths.zsh,
    ]);
    expect(stdout).toBe("ok\n");
    const script = completionScript("zsh", spec);
    expect(script).toContain(`'say:it'\\''s "quoted" [x]: $HOME \`id\` \\n; done'`);
    expect(script).toContain(
      `'[it'\\''s "quoted" \\[x\\]\\: $HOME \`id\` \\\\n; done]:value:(loud quiet)'`,
    );
  });
});
