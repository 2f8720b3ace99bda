/**
 * The request journal of a test server: what each client sent (method, path, headers with
 * secrets redacted, the body as far as a route read it, Last-Event-ID), when it came and how
 * its answer ended, for tests that assert on what an app sent (`server.requests`,
 * `waitForRequest()`, `GET /.well-known/sse-tool/requests`). A ring of the last N requests:
 * bounded memory whatever the traffic. Pure.
 */

/** How a request's answer ended. */
export type JournalEnd =
  /** The server answered in full (a stream ended cleanly, a page, a 4xx, a publish). */
  | "finished"
  /** A fault cut the stream (drop-after). */
  | "cut"
  /** The server dropped a client that did not keep up with its stream. */
  | "dropped"
  /** The connection closed before the answer was complete: the client went away. */
  | "closed";

/** One request, as the journal keeps it. */
export interface JournalRequest {
  /** 1, 2, 3, ... in the order requests arrived (a ring forgets the oldest). */
  seq: number;
  method: string;
  /** Path and query as sent, the values of secret-looking query parameters redacted. */
  path: string;
  /** Header names in lower case; secrets (`Authorization`, `Cookie`, `*-token`, ...) redacted. */
  headers: Record<string, string>;
  /** The `Last-Event-ID` header, if sent. */
  lastEventId?: string;
  /** The body as UTF-8 text, once a route read it (at most `maxJournalBodyBytes`). */
  body?: string;
  /** The body's full length in bytes, as far as it was read. */
  bodyBytes?: number;
  /** The body was longer than what is kept. */
  bodyTruncated?: boolean;
  /** The fault spec the request chose (`SSE-Tool-Fault` or `?sse-tool-fault=`). */
  faults?: string;
  /** The client's address and port. */
  peer: string;
  /** When the request arrived (ms since the epoch). */
  startedAt: number;
  /** The status answered, once the head went out. */
  status?: number;
  /** When the answer ended (ms since the epoch); absent while it goes on (an open stream). */
  endedAt?: number;
  /** How the answer ended; absent while it goes on. */
  ended?: JournalEnd;
}

/** What waitForRequest() takes. */
export interface WaitForRequestOptions {
  /** Milliseconds before giving up (default 5000). */
  timeout?: number;
}

/** Bodies are kept up to this many bytes each. */
/** What a running fake says of the requests it got: startServer()'s and the fakes' journal. */
export interface RequestLog {
  /**
   * What clients sent, oldest first: the last `journal` requests (method, path, headers with
   * secrets redacted, body as read, Last-Event-ID, fault spec, status, how it ended). A copy.
   */
  readonly requests: JournalRequest[];
  /**
   * Resolves with the first kept request `predicate` accepts, or the next one (a new request,
   * or one whose body was read or whose answer ended); rejects with an SseToolError
   * (`"timeout"`) after `timeout` ms (default 5000).
   */
  waitForRequest(
    predicate: (request: JournalRequest) => boolean,
    options?: WaitForRequestOptions,
  ): Promise<JournalRequest>;
}

export const maxJournalBodyBytes = 64 * 1024;

/** Requests kept when no size is given. */
export const defaultJournalSize = 100;

export const defaultWaitTimeoutMs = 5_000;

interface Waiter {
  predicate: (request: JournalRequest) => boolean;
  resolve: (request: JournalRequest) => void;
  reject: (error: unknown) => void;
}

export class RequestJournal {
  readonly #capacity: number;
  /** The last `#capacity` requests, oldest first. */
  readonly #ring: JournalRequest[] = [];
  #head = 0;
  #nextSeq = 1;
  readonly #waiters = new Set<Waiter>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Whether a new request is worth writing down: it is kept, or someone waits for one. */
  get recording(): boolean {
    return this.#capacity > 0 || this.#waiters.size > 0;
  }

  /** Adds a request (its `seq` is filled in) and returns it; later changes go through changed(). */
  add(request: Omit<JournalRequest, "seq">): JournalRequest {
    const entry: JournalRequest = { seq: this.#nextSeq++, ...request };
    if (this.#capacity > 0) {
      if (this.#ring.length < this.#capacity) this.#ring.push(entry);
      else {
        this.#ring[this.#head] = entry;
        this.#head = (this.#head + 1) % this.#capacity;
      }
    }
    this.changed(entry);
    return entry;
  }

  /** An entry learnt more (its body, status, end): waiters look at it again. */
  changed(entry: JournalRequest): void {
    for (const waiter of this.#waiters) {
      let matches: boolean;
      try {
        matches = waiter.predicate(copyOf(entry));
      } catch (error) {
        this.#waiters.delete(waiter);
        waiter.reject(error);
        continue;
      }
      if (matches) {
        this.#waiters.delete(waiter);
        waiter.resolve(copyOf(entry));
      }
    }
  }

  /** The requests kept, oldest first, as copies; only those after `afterSeq` if given. */
  list(afterSeq = 0): JournalRequest[] {
    const ordered = [...this.#ring.slice(this.#head), ...this.#ring.slice(0, this.#head)];
    return ordered.filter((entry) => entry.seq > afterSeq).map(copyOf);
  }

  /**
   * The first kept request that matches, or the next one to match (a new request, or one that
   * learnt its body or its end); rejects after `timeoutMs` with `timedOut()`'s error.
   */
  waitFor(
    predicate: (request: JournalRequest) => boolean,
    timeoutMs: number,
    timedOut: () => Error,
  ): Promise<JournalRequest> {
    try {
      const kept = this.list().find(predicate);
      if (kept !== undefined) return Promise.resolve(kept);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(timedOut());
      }, timeoutMs);
      const waiter: Waiter = {
        predicate,
        resolve: (request) => {
          clearTimeout(timer);
          resolve(request);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.#waiters.add(waiter);
    });
  }
}

/** A copy a caller may keep or change without touching the journal. */
function copyOf(entry: JournalRequest): JournalRequest {
  return { ...entry, headers: { ...entry.headers } };
}
