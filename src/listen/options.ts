/**
 * What `listen` is asked to do: its options (declared in src/cli.ts), the defaults in-process
 * callers start from, where it reads and writes, what one of several streams is told about the
 * others, and the combinations of options that make no sense.
 */
import type { Readable, Writable } from "node:stream";
import type { Dispatcher } from "undici";
import { SseToolError } from "../errors.js";
import type { RequestCliOptions } from "../http/request.js";
import type { TimeColumnMode } from "./output/time-column.js";
import type { ListenTap } from "./tap.js";

export interface ListenCliOptions extends RequestCliOptions {
  json?: boolean;
  raw?: boolean;
  comments?: boolean;
  event?: string[];
  maxEvents?: number;
  timeout?: number;
  idleTimeout?: number;
  /** Milliseconds allowed for connecting and for the response headers (default 30 000). */
  connectTimeout?: number;
  retry: number;
  lastEventId?: string;
  reconnect: boolean;
  /** Reconnect also when the request is not a plain GET (re-sending its body). */
  reconnectPost?: boolean;
  maxRetries?: number;
  maxEventSize: number;
  color: boolean;
  verbose?: boolean;
  /** --llm (true), --no-llm (false), or chosen from the first decisive event (undefined). */
  llm?: boolean;
  /** --llm-stall: gaps between LLM chunks longer than this many ms count as stalls. */
  llmStall?: number;
  /** --stats: counts, rate, bytes and gaps on stderr. */
  stats?: boolean;
  /** --expect-event (repeatable): each type must arrive, or exit 4. */
  expectEvent?: string[];
  /** --expect-count: at least this many shown events, or exit 4. */
  expectCount?: number;
  /** --until-event: stop after the first event of this type (exit 0); not seen is exit 4. */
  untilEvent?: string;
  /** --http2: offer HTTP/2 in the TLS handshake (undici's allowH2). */
  http2?: boolean;
  /** --cacert: a PEM file of CA certificates trusted in addition to the system's. */
  cacert?: string;
  /** --record: write what the connection carries to this file (src/listen/record.ts). */
  record?: string;
  /** -i, --include: the response status line and headers on stderr before the events. */
  include?: boolean;
  /** -o, --output: write the events to this file instead of stdout (`-` is stdout). */
  output?: string;
  /** -s, --silent (and -q, --quiet): nothing on stderr but errors. */
  silent?: boolean;
  quiet?: boolean;
  /** --time: what the pretty view's time column shows (default clock). */
  time?: TimeColumnMode;
  /** --full: show very large data whole in the pretty view instead of shortened. */
  full?: boolean;
  /** --json-data: --json lines carry data that is a JSON object or array parsed. */
  jsonData?: boolean;
  /** --accept-any-type: read a response of another Content-Type as an event stream. */
  acceptAnyType?: boolean;
}

/** The options `sse-tool listen URL` runs with when no flag is given (for in-process callers). */
export const listenDefaults: ListenCliOptions = {
  retry: 3000,
  reconnect: true,
  maxEventSize: 16 * 1024 ** 2,
  color: true,
};

/** Where `listen` reads and writes; the process's own streams unless a caller hands in others. */
export interface ListenIo {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  /** Read only for `-d @-`; the process's stdin when not given. */
  stdin?: Readable;
  env: Record<string, string | undefined>;
  /** Where a stream's error goes when `stderr` is quieted (-s); `stderr` when not given. */
  errors?: Writable;
  /** Aborting it stops the run like Ctrl-C (exit 130). Without it, SIGINT is handled here. */
  signal?: AbortSignal;
  /** HTTP dispatcher to use instead of one built from --proxy/--insecure (tests). */
  dispatcher?: Dispatcher;
  /** Set when this run is one of several streams (src/listen/several-urls.ts). */
  source?: StreamSource;
  /** Told what goes over the wire and which events are shown (src/listen/tap.ts). */
  tap?: ListenTap;
}

/** What one stream of several knows about the others (handed to it in ListenIo). */
export interface StreamSource {
  /** The URL as given: the `"source"` of its --json lines. */
  url: string;
  /** Short name shown before each of its events (src/listen/source-label.ts). */
  label: string;
  /** Width of the longest label, so event names line up. */
  labelWidth: number;
  /** Counts one shown event over all streams; returns the total so far (for `-n`). */
  countShownEvent(): number;
  /** Aborted once `-n` is reached over all streams: every stream then stops ("max-events"). */
  allShown: AbortSignal;
}

/**
 * Options that contradict each other or the number of URLs: usage errors (exit 2), said once,
 * before anything is read or connected.
 */
export function checkListenOptions(options: ListenCliOptions, urlCount: number): void {
  if (urlCount > 1 && options.raw) {
    throw new SseToolError("usage", "--raw writes one body unchanged; give it one URL");
  }
  if (urlCount > 1 && options.record !== undefined) {
    throw new SseToolError("usage", "--record writes one connection's recording; give it one URL");
  }
  if (urlCount > 1 && options.llm === true) {
    throw new SseToolError("usage", "--llm assembles one reply; give it one URL");
  }
  if (options.raw && options.llm === true) {
    throw new SseToolError(
      "usage",
      "--raw writes the body unchanged; it cannot be combined with --llm",
    );
  }
  if (options.raw && (options.json || options.event || options.comments)) {
    throw new SseToolError(
      "usage",
      "--raw writes the body unchanged; it cannot be combined with --json, --event or --comments",
    );
  }
}
