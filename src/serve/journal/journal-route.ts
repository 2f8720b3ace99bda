/**
 * `GET /.well-known/sse-tool/requests`: the journal (request-journal.ts) for tests in another
 * process than the server (`sse-tool serve` started by a test runner). The same gate as every
 * route (Host, Origin) and the token guard apply; `?after=<seq>` lists only later requests.
 * Its own requests are not journaled.
 */
import type { Route } from "../http/route.js";
import type { RequestJournal } from "./request-journal.js";

/** Where the journal is served. */
export const journalPath = "/.well-known/sse-tool/requests";

export function journalRoute(journal: RequestJournal): Route {
  return {
    method: "GET",
    path: journalPath,
    handle: (_request, response, url) => {
      const after = url.searchParams.get("after") ?? "0";
      if (!/^[0-9]{1,15}$/.test(after)) {
        response
          .writeHead(400, { "Content-Type": "text/plain" })
          .end("after must be a request's seq: a whole number\n");
        return;
      }
      const text = `${JSON.stringify({ requests: journal.list(Number(after)) })}\n`;
      response
        .writeHead(200, {
          "Content-Type": "application/json; charset=utf-8",
          "Content-Length": Buffer.byteLength(text),
          "Cache-Control": "no-store",
        })
        .end(text);
    },
  };
}
