/**
 * Who may use the server, decided from the options before anything listens: the `--cors` and
 * `--allowed-host` values checked, and the token read from where it was given.
 */
import { readFile } from "node:fs/promises";
import { SseToolError } from "../../errors.js";
import { canonicalHost, isIpLiteral } from "../../http/loopback.js";
import {
  allowedHostProblem,
  chooseAccessToken,
  corsValueProblem,
  type OriginPolicy,
  originPolicy,
  type TokenChoice,
} from "./access.js";

/** The options access is decided from, as `serve` and startServer() both name them. */
export interface AccessOptions {
  host: string;
  cors?: string[] | false | undefined;
  allowedHost?: string[] | undefined;
  token?: string | undefined;
  tokenFile?: string | undefined;
}

/** Who may use the endpoint, decided from the options before anything listens. */
export interface ServeAccess {
  origins: OriginPolicy;
  /** `--allowed-host` names, and the `--host` name when it is one. */
  allowedHosts: string[];
  token: TokenChoice | undefined;
}

/**
 * The access options checked and the token read (`--token`, `--token-file`, `SSE_TOOL_TOKEN`):
 * a bad value is a usage error, an unreadable token file an input error.
 */
export async function checkServeAccess(
  options: AccessOptions,
  environment: NodeJS.ProcessEnv,
): Promise<ServeAccess> {
  for (const value of Array.isArray(options.cors) ? options.cors : []) {
    const problem = corsValueProblem(value);
    if (problem !== undefined) throw new SseToolError("usage", problem);
  }
  const allowedHosts: string[] = [];
  for (const value of options.allowedHost ?? []) {
    const problem = allowedHostProblem(value);
    if (problem !== undefined) throw new SseToolError("usage", problem);
    allowedHosts.push(value.toLowerCase());
  }
  const boundHost = canonicalHost(options.host);
  if (boundHost !== undefined && !isIpLiteral(boundHost)) allowedHosts.push(boundHost);
  let file: { path: string; text: string } | undefined;
  if (options.tokenFile !== undefined) {
    try {
      file = { path: options.tokenFile, text: await readFile(options.tokenFile, "utf8") };
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
      throw new SseToolError("input", `cannot read --token-file ${options.tokenFile}: ${reason}`, {
        cause: error,
      });
    }
  }
  const token = chooseAccessToken({
    option: options.token,
    file,
    environment: environment.SSE_TOOL_TOKEN,
  });
  if (typeof token === "string") throw new SseToolError("usage", token);
  return { origins: originPolicy(options.cors), allowedHosts, token };
}
