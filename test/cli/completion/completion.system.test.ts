/**
 * `sse-tool completion bash|zsh|fish`: the scripts are printed by the built binary, then loaded
 * into the real shells (bash, zsh, fish; CI installs zsh and fish with apt-get).
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli-process.js";

const execFileAsync = promisify(execFile);

let workDir: string;
const scriptPaths: Record<string, string> = {};
const scripts: Record<string, string> = {};
let subcommands: string[];

/** The subcommands `sse-tool --help` lists: the scripts must know exactly these. */
function commandsFromHelp(help: string): string[] {
  const section = help.split(/^Commands:$/m)[1]?.split(/\n\n/)[0] ?? "";
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((match) => match[1]!);
}

/** Every long option a subcommand's `--help` lists. */
async function longOptionsOf(command: string): Promise<string[]> {
  const { stdout } = await runCli([command, "--help"]);
  const section = stdout.split(/^Options:$/m)[1]?.split(/^\S/m)[0] ?? "";
  return [...section.matchAll(/^ {2}(?:-\w, )?(--[a-z0-9-]+)/gm)].map((match) => match[1]!);
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "sse-tool-completion-"));
  for (const shell of ["bash", "zsh", "fish"]) {
    const result = await runCli(["completion", shell]);
    expect(result.code, result.stderr).toBe(0);
    scripts[shell] = result.stdout;
    scriptPaths[shell] = join(workDir, `sse-tool.${shell}`);
    await writeFile(scriptPaths[shell], result.stdout);
  }
  subcommands = commandsFromHelp((await runCli(["--help"])).stdout);
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/**
 * Sources the bash script, fills COMP_WORDS/COMP_CWORD as bash does for the command line
 * `words` (the last word is the one being completed), calls the function that `complete -p`
 * registered for sse-tool, and returns COMPREPLY.
 */
async function bashComplete(words: string[]): Promise<string[]> {
  const program = `
source "$1"
shift
function_name=$(complete -p sse-tool | sed -E 's/.* -F ([^ ]+) .*/\\1/')
COMP_WORDS=("$@")
COMP_CWORD=$(( $# - 1 ))
COMP_LINE="$*"
COMP_POINT=\${#COMP_LINE}
COMPREPLY=()
"$function_name" sse-tool "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\\n' "\${COMPREPLY[@]}"
`;
  const { stdout } = await execFileAsync(
    "bash",
    ["--norc", "--noprofile", "-c", program, "bash", scriptPaths.bash!, ...words],
    { cwd: workDir },
  );
  return stdout.split("\n").filter((line) => line !== "");
}

describe("sse-tool completion bash", () => {
  it("completes `sse-tool li` to `listen`", async () => {
    expect(await bashComplete(["sse-tool", "li"])).toEqual(["listen"]);
  });

  it("completes `sse-tool listen --js` to `--json` and `--json-data`", async () => {
    expect(await bashComplete(["sse-tool", "listen", "--js"])).toEqual(["--json", "--json-data"]);
  });

  it("offers every subcommand of --help after `sse-tool`", async () => {
    expect(subcommands).toEqual(
      expect.arrayContaining(["listen", "serve", "load", "demo", "completion"]),
    );
    expect((await bashComplete(["sse-tool", ""])).sort()).toEqual([...subcommands].sort());
  });

  it("offers every long option of `listen --help`, `serve --help` and `load --help`", async () => {
    for (const command of ["listen", "serve", "load"]) {
      const offered = await bashComplete(["sse-tool", command, "--"]);
      const listed = await longOptionsOf(command);
      expect(listed.length).toBeGreaterThan(5);
      expect(offered.sort()).toEqual([...listed].sort());
    }
  });

  it("completes an option's choices, also after `=`", async () => {
    expect(await bashComplete(["sse-tool", "serve", "--format", "nd"])).toEqual(["ndjson"]);
    expect(await bashComplete(["sse-tool", "serve", "--format", "=", "l"])).toEqual(["lines"]);
  });

  it("suggests nothing for a free-text option value, not the option list", async () => {
    expect(await bashComplete(["sse-tool", "listen", "-H", ""])).toEqual([]);
  });

  it("completes the shell argument of completion and file names for serve", async () => {
    expect(await bashComplete(["sse-tool", "completion", ""])).toEqual(["bash", "zsh", "fish"]);
    expect(await bashComplete(["sse-tool", "serve", "--port", "0", "sse-tool.f"])).toEqual([
      "sse-tool.fish",
    ]);
  });
});

describe("sse-tool completion zsh", () => {
  it("passes zsh -n and names every subcommand and the listen options", async () => {
    await execFileAsync("zsh", ["-n", scriptPaths.zsh!]);
    const script = scripts.zsh!;
    expect(script.startsWith("#compdef sse-tool\n")).toBe(true);
    for (const command of subcommands) expect(script).toContain(`'${command}:`);
    for (const option of await longOptionsOf("listen")) expect(script).toContain(option);
  });

  it("registers its function for sse-tool when sourced after compinit", async () => {
    const { stdout } = await execFileAsync(
      "zsh",
      [
        "-f",
        "-c",
        'autoload -Uz compinit && compinit -u -D && source "$1" && print -r -- "$_comps[sse-tool]"',
        "zsh",
        scriptPaths.zsh!,
      ],
      { cwd: workDir, env: { ...process.env, HOME: workDir } },
    );
    expect(stdout).toBe("_sse_tool\n");
  });
});

/**
 * Types each line followed by TAB and Enter into an interactive zsh (through zsh/zpty) that
 * has loaded the script with compinit; there `sse-tool` is a function printing its arguments,
 * so the output shows each command line as completion left it.
 */
const zshDriver = `
zmodload zsh/zpty
script=$1; shift
zpty z 'TERM=dumb zsh -f -i'
zpty -w z "PS1='> '; autoload -Uz compinit; compinit -u -D; source \${(q)script}; sse-tool() { print -r -- \\"C\\"\\"ALLED:\\$*\\" }"
for line in "$@"; do zpty -w -n z "$line"$'\\t\\n'; done
zpty -w z 'print -r -- "D""ONE"'
zpty -r z output '*DONE*'
zpty -d z
print -r -- \${(F)\${(M)\${(f)output//$'\\r'/}:#CALLED:*}}
`;

async function zshComplete(lines: string[]): Promise<string[]> {
  const driverPath = join(workDir, "zsh-driver.zsh");
  await writeFile(driverPath, zshDriver);
  const { stdout } = await execFileAsync("zsh", ["-f", driverPath, scriptPaths.zsh!, ...lines], {
    cwd: workDir,
    env: { ...process.env, HOME: workDir },
    timeout: 15_000,
  });
  return stdout.split("\n").filter((line) => line !== "");
}

describe("sse-tool completion zsh, typed into a real zsh", () => {
  it("completes `sse-tool li` and `sse-tool listen --js`, and --format values", async () => {
    expect(
      await zshComplete(["sse-tool li", "sse-tool listen --js", "sse-tool serve --format nd"]),
    ).toEqual(["CALLED:listen", "CALLED:listen --json", "CALLED:serve --format ndjson"]);
  });
});

describe("sse-tool completion fish", () => {
  it("passes fish -n and names every subcommand", async () => {
    await execFileAsync("fish", ["--no-config", "-n", scriptPaths.fish!]);
    for (const command of subcommands) {
      expect(scripts.fish).toContain(`-n __fish_use_subcommand -a '${command}'`);
    }
  });

  it("completes `sse-tool li` and `sse-tool listen --js` in a real fish", async () => {
    const { stdout } = await execFileAsync("fish", [
      "--no-config",
      "-c",
      'source $argv[1]; complete -C "sse-tool li"; complete -C "sse-tool listen --js"',
      scriptPaths.fish!,
    ]);
    const words = stdout.split("\n").map((line) => line.split("\t")[0]);
    expect(words).toEqual(["listen", "--json", "--json-data", ""]);
  });
});

describe("sse-tool completion (usage)", () => {
  it("rejects an unknown shell with exit code 2", async () => {
    const result = await runCli(["completion", "powershell"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/bash, zsh, fish/);
  });
});
