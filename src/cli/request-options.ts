/**
 * The request options `listen`, `doctor` and `load` share, declared once (their values are
 * typed once too: RequestCliOptions in src/http/request.ts). Options are made by the command
 * (`createOption`), so declaring them loads nothing of commander's here.
 */
import type { Command, Option } from "commander";
import { durationForHelp } from "./help-values.js";
import { collect, milliseconds, secondsToMs } from "./option-values.js";

/** The reconnection time before a server sends `retry:`, for every command that reconnects. */
export const defaultRetryMs = 3000;

/** --cacert and --http2 (listen, doctor and load): new Option objects for each command. */
export function tlsOptions(command: Command): Option[] {
  return [
    command.createOption("--cacert <file>", "also trust the CA certificates in this PEM file"),
    command.createOption("--http2", "offer HTTP/2 (https); the server chooses"),
  ];
}

/**
 * --connect-timeout, its default written into the help: the value stays undefined when not
 * given (doctor bounds its default by --duration), and commander shows no undefined default.
 */
export function connectTimeoutOption(command: Command, defaultShown: string): Option {
  return command
    .createOption(
      "--connect-timeout <duration>",
      `time allowed to connect and to receive response headers (a bare number is seconds) (default: ${defaultShown})`,
    )
    .argParser(secondsToMs);
}

/** --retry: the reconnection time until the server sends one, from `defaultRetryMs`. */
export function retryOption(command: Command, description: string): Option {
  return command
    .createOption("--retry <duration>", description)
    .argParser(milliseconds)
    .default(defaultRetryMs, durationForHelp(defaultRetryMs));
}

/**
 * Adds -H, -X, -d, -u, -k/--insecure, then `tlsOptions` (--cacert and --http2), then --proxy:
 * the order `--help` shows them in.
 */
export function addRequestOptions(command: Command, withTls = false): Command {
  command
    .option("-H, --header <header>", 'request header "Name: value" (repeatable)', collect)
    .option("-X, --method <method>", "HTTP method (default GET, or POST with --data)")
    .option("-d, --data <body>", "request body: text, @file, or @- for stdin (implies POST)")
    .option(
      "-u, --user <user:pass>",
      "Basic auth (as user:pass@ in the URL); the password is never shown",
    )
    .option("-k, --insecure", "accept any TLS certificate")
    .option(
      "--location-trusted",
      "send -H headers (and Authorization, Cookie) to another origin on redirect too",
    );
  if (withTls) for (const option of tlsOptions(command)) command.addOption(option);
  return command.option(
    "--proxy <url>",
    "proxy for the request (default: HTTPS_PROXY/HTTP_PROXY/NO_PROXY)",
  );
}

/**
 * The request options (and --connect-timeout) given on the command line, by flag: what a
 * command reading a capture instead of a URL refuses rather than ignores.
 */
export function givenRequestOptions(options: {
  header?: unknown;
  method?: unknown;
  data?: unknown;
  user?: unknown;
  insecure?: boolean;
  locationTrusted?: boolean;
  proxy?: unknown;
  http2?: boolean;
  cacert?: unknown;
  connectTimeout?: unknown;
}): string[] {
  const given: [string, boolean][] = [
    ["-H", options.header !== undefined],
    ["-X", options.method !== undefined],
    ["-d", options.data !== undefined],
    ["-u", options.user !== undefined],
    ["--insecure", options.insecure === true],
    ["--location-trusted", options.locationTrusted === true],
    ["--proxy", options.proxy !== undefined],
    ["--http2", options.http2 === true],
    ["--cacert", options.cacert !== undefined],
    ["--connect-timeout", options.connectTimeout !== undefined],
  ];
  return given.filter(([, isGiven]) => isGiven).map(([flag]) => flag);
}
