/** The option combinations listen refuses, all in one place, before anything is read. */
import { describe, expect, it } from "vitest";
import { type ListenCliOptions, listenDefaults } from "../../src/listen/cli.js";
import { checkListenOptions } from "../../src/listen/option-checks.js";

const refused: Array<[string, Partial<ListenCliOptions>, number, string]> = [
  ["--raw with several URLs", { raw: true }, 2, "--raw writes one body unchanged; give it one URL"],
  ["--llm with several URLs", { llm: true }, 2, "--llm assembles one reply; give it one URL"],
  ["--raw --llm", { raw: true, llm: true }, 1, "it cannot be combined with --llm"],
  ["--raw --json", { raw: true, json: true }, 1, "cannot be combined with --json, --event"],
  ["--raw -e", { raw: true, event: ["x"] }, 1, "cannot be combined with --json, --event"],
  ["--raw --comments", { raw: true, comments: true }, 1, "--event or --comments"],
];

describe("checkListenOptions", () => {
  it.each(refused)("%s is a usage error", (_name, options, urlCount, message) => {
    const check = () => checkListenOptions({ ...listenDefaults, ...options }, urlCount);
    expect(check).toThrow(message);
    expect(check).toThrow(expect.objectContaining({ code: "usage" }));
  });

  const accepted: Array<[string, Partial<ListenCliOptions>, number]> = [
    ["--raw alone", { raw: true }, 1],
    ["--llm alone", { llm: true }, 1],
    ["--no-llm with several URLs", { llm: false }, 3],
    ["--json --comments -e with several URLs", { json: true, comments: true, event: ["a"] }, 2],
  ];
  it.each(accepted)("%s is accepted", (_name, options, urlCount) => {
    expect(() => checkListenOptions({ ...listenDefaults, ...options }, urlCount)).not.toThrow();
  });
});
