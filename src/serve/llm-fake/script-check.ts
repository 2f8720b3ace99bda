/**
 * Checks a script (the JSON of `serve --llm-fake --script`, or what the library is given)
 * field by field: every mistake is one line naming where it is (`replies[2].toolCalls[0].name:
 * a string is required`), so a script can be fixed in one pass. Pure.
 */
import type { LlmFakeScript } from "./script.js";

type Json = Record<string, unknown>;

/** Mistakes listed at most: a file of garbage says enough in this many lines. */
const maxProblems = 20;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === "object" && !Array.isArray(value);

class Problems {
  readonly list: string[] = [];
  add(where: string, message: string): void {
    if (this.list.length < maxProblems) this.list.push(`${where}: ${message}`);
  }
  keys(where: string, value: Json, known: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!known.includes(key))
        this.add(`${where}.${key}`, `unknown field (known: ${known.join(", ")})`);
    }
  }
  string(where: string, value: unknown): void {
    if (value !== undefined && typeof value !== "string") this.add(where, "a string is required");
  }
  number(where: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): void {
    if (value === undefined) return;
    if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
      this.add(where, `a number from ${min} to ${max} is required`);
    }
  }
  whole(where: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): void {
    if (value === undefined) return;
    if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
      this.add(where, `a whole number from ${min} to ${max} is required`);
    }
  }
  object(where: string, value: unknown): value is Json {
    if (isObject(value)) return true;
    if (value !== undefined) this.add(where, "an object is required");
    return false;
  }
}

const replyKeys = [
  "match",
  "reasoning",
  "text",
  "refusal",
  "toolCalls",
  "usage",
  "error",
  "httpError",
  "malformed",
  "splitJson",
  "whole",
  "pace",
] as const;

/** An hour: longer pauses are a typo, not a test. */
const maxPauseMs = 3_600_000;

function checkPace(problems: Problems, where: string, pace: unknown): void {
  if (!problems.object(where, pace)) return;
  problems.keys(where, pace, ["ttftMs", "tokensPerSecond", "jitterMs", "stalls"]);
  problems.number(`${where}.ttftMs`, pace.ttftMs, 0, maxPauseMs);
  problems.number(`${where}.tokensPerSecond`, pace.tokensPerSecond, 0.001, 1_000_000);
  problems.number(`${where}.jitterMs`, pace.jitterMs, 0, maxPauseMs);
  if (pace.stalls === undefined) return;
  if (!Array.isArray(pace.stalls)) {
    problems.add(`${where}.stalls`, "an array is required");
    return;
  }
  pace.stalls.forEach((stall, i) => {
    const at = `${where}.stalls[${i}]`;
    if (!problems.object(at, stall)) return;
    problems.keys(at, stall, ["afterTokens", "ms"]);
    problems.whole(`${at}.afterTokens`, stall.afterTokens, 0);
    problems.number(`${at}.ms`, stall.ms, 0, maxPauseMs);
    if (stall.afterTokens === undefined || stall.ms === undefined) {
      problems.add(at, "afterTokens and ms are required");
    }
  });
}

function checkReply(problems: Problems, where: string, reply: unknown): void {
  if (!isObject(reply)) {
    problems.add(where, "an object is required");
    return;
  }
  problems.keys(where, reply, replyKeys);
  if (problems.object(`${where}.match`, reply.match)) {
    problems.keys(`${where}.match`, reply.match, ["lastUser", "model", "toolResult"]);
    for (const key of ["lastUser", "model", "toolResult"]) {
      problems.string(`${where}.match.${key}`, reply.match[key]);
    }
  }
  for (const key of ["reasoning", "text", "refusal"])
    problems.string(`${where}.${key}`, reply[key]);
  if (reply.toolCalls !== undefined) {
    if (!Array.isArray(reply.toolCalls)) problems.add(`${where}.toolCalls`, "an array is required");
    else {
      reply.toolCalls.forEach((call, i) => {
        const at = `${where}.toolCalls[${i}]`;
        if (!problems.object(at, call)) return;
        problems.keys(at, call, ["name", "arguments", "id"]);
        if (typeof call.name !== "string" || call.name === "") {
          problems.add(`${at}.name`, "a string is required");
        }
        problems.object(`${at}.arguments`, call.arguments);
        problems.string(`${at}.id`, call.id);
      });
      // The wire formats tell calls apart by id, as clients do.
      const ids = reply.toolCalls.map((call) => (isObject(call) ? call.id : undefined));
      ids.forEach((id, i) => {
        if (id !== undefined && ids.indexOf(id) < i) {
          problems.add(
            `${where}.toolCalls[${i}].id`,
            `the same as toolCalls[${ids.indexOf(id)}]'s`,
          );
        }
      });
    }
  }
  if (problems.object(`${where}.usage`, reply.usage)) {
    problems.keys(`${where}.usage`, reply.usage, ["inputTokens", "outputTokens"]);
    problems.whole(`${where}.usage.inputTokens`, reply.usage.inputTokens, 0);
    problems.whole(`${where}.usage.outputTokens`, reply.usage.outputTokens, 0);
  }
  if (problems.object(`${where}.error`, reply.error)) {
    problems.keys(`${where}.error`, reply.error, ["message", "afterTokens"]);
    if (typeof reply.error.message !== "string") {
      problems.add(`${where}.error.message`, "a string is required");
    }
    problems.whole(`${where}.error.afterTokens`, reply.error.afterTokens, 0);
  }
  if (problems.object(`${where}.httpError`, reply.httpError)) {
    const at = `${where}.httpError`;
    problems.keys(at, reply.httpError, ["status", "message", "retryAfterSeconds"]);
    if (reply.httpError.status === undefined) problems.add(`${at}.status`, "a status is required");
    problems.whole(`${at}.status`, reply.httpError.status, 400, 599);
    problems.string(`${at}.message`, reply.httpError.message);
    problems.whole(`${at}.retryAfterSeconds`, reply.httpError.retryAfterSeconds, 0, 86_400);
  }
  if (problems.object(`${where}.malformed`, reply.malformed)) {
    problems.keys(`${where}.malformed`, reply.malformed, ["afterTokens"]);
    problems.whole(`${where}.malformed.afterTokens`, reply.malformed.afterTokens, 0);
  }
  for (const key of ["splitJson", "whole"]) {
    if (reply[key] !== undefined && typeof reply[key] !== "boolean") {
      problems.add(`${where}.${key}`, "true or false is required");
    }
  }
  if (reply.pace !== undefined) checkPace(problems, `${where}.pace`, reply.pace);
}

/**
 * The script, or its mistakes. A bare array is taken as the replies. Every reply is checked,
 * so all its mistakes are listed at once.
 */
export function checkLlmFakeScript(
  value: unknown,
): { script: LlmFakeScript; problems?: undefined } | { problems: string[] } {
  const problems = new Problems();
  const script: unknown = Array.isArray(value) ? { replies: value } : value;
  if (!isObject(script)) return { problems: ["the script: an object or an array is required"] };
  problems.keys("script", script, ["replies", "pace", "seed"]);
  if (!Array.isArray(script.replies)) problems.add("replies", "an array is required");
  else {
    if (script.replies.length === 0) problems.add("replies", "at least one reply is required");
    for (const [i, reply] of script.replies.entries()) checkReply(problems, `replies[${i}]`, reply);
  }
  if (script.pace !== undefined) checkPace(problems, "pace", script.pace);
  problems.whole("seed", script.seed, 0, 2 ** 32 - 1);
  if (problems.list.length > 0) return { problems: problems.list };
  return { script: script as unknown as LlmFakeScript };
}
