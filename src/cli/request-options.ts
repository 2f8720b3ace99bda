/**
 * The request options `listen`, `doctor` and `load` share, declared once (their values are
 * typed once too: RequestCliOptions in src/http/request.ts).
 */
import { type Command, Option } from "commander";
import { collect, secondsToMs } from "./option-values.js";

/** --cacert and --http2 (listen, doctor and load): new Option objects for each command. */
export function tlsOptions(): Option[] {
  return [
    new Option("--cacert <file>", "also trust the CA certificates in this PEM file"),
    new Option("--http2", "offer HTTP/2 (https); the server chooses"),
  ];
}

/** --connect-timeout, with the command's default as --help shows it. */
export function connectTimeoutOption(defaultShown: string): Option {
  return new Option(
    "--connect-timeout <duration>",
    "time allowed to connect and to receive response headers (a bare number is seconds)",
  )
    .argParser(secondsToMs)
    .default(undefined, defaultShown);
}

/**
 * Adds -H, -X, -d, -u, -k/--insecure, then `tlsOptions` (--cacert and --http2), then --proxy:
 * the order `--help` shows them in.
 */
export function addRequestOptions(command: Command, tlsOptions: readonly Option[] = []): Command {
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
  for (const option of tlsOptions) command.addOption(option);
  return command.option(
    "--proxy <url>",
    "proxy for the request (default: HTTPS_PROXY/HTTP_PROXY/NO_PROXY)",
  );
}
