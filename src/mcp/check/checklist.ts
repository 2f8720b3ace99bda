/**
 * `sse-tool mcp --check`: the transport checklist. A real session is made, then requests the
 * spec says a server must refuse are sent beside it, and what came back is judged.
 */
import type { ChalkInstance } from "chalk";
import packageJson from "../../../package.json" with { type: "json" };
import { ExitCode } from "../../errors.js";
import { discardBody, headerValue } from "../../http/client.js";
import {
  mayPrimeStreams,
  newestRevision,
  streamableRevisions,
} from "../../mcp-protocol/revisions.js";
import type { McpCliOptions } from "../cli.js";
import type { McpConnection } from "../connection.js";
import { mediaType, sendHttp } from "../session/http-exchange.js";
import { McpSession } from "../session/session.js";
import { quietStreamWatchMs, watchServerStream } from "./quiet-stream.js";
import {
  failed,
  formatCheckReport,
  type McpCheckResult,
  passed,
  skipped,
  warned,
} from "./report.js";

interface Probe {
  status: number;
  type: string;
  headers: Record<string, string | string[] | undefined>;
}

/** An Origin no MCP server should take requests from (DNS-rebinding protection). */
const foreignOrigin = "https://dns-rebinding.invalid";
/** The origin a browser client on this machine would send. */
const browserOrigin = "http://localhost:5173";

export async function runMcpCheck(
  connection: McpConnection,
  options: McpCliOptions,
  chalk: ChalkInstance,
  writeJson: (value: unknown) => void,
): Promise<number> {
  const checks = await collectChecks(connection);
  if (options.json) {
    writeJson({
      url: connection.url,
      failed: checks.some((check) => check.status === "fail"),
      checks,
    });
  } else {
    process.stdout.write(formatCheckReport(connection.url, checks, chalk));
  }
  return checks.some((check) => check.status === "fail") ? ExitCode.expectation : ExitCode.ok;
}

function headerList(probe: Probe, name: string): string[] {
  return (headerValue(probe.headers, name) ?? "")
    .toLowerCase()
    .split(",")
    .map((item) => item.trim());
}

export async function collectChecks(connection: McpConnection): Promise<McpCheckResult[]> {
  const checks: McpCheckResult[] = [];
  const session = new McpSession({
    url: connection.url,
    context: connection.context,
    baseHeaders: connection.baseHeaders,
  });
  try {
    await session.initialize();
  } catch (error) {
    checks.push(
      failed(
        "initialize",
        (error as Error).message,
        "check the URL and that an MCP server answers there",
      ),
    );
    return checks;
  }
  if (session.transport === "legacy") {
    checks.push(
      warned(
        "transport",
        "HTTP+SSE transport of 2024-11-05 (deprecated); the other checks are for Streamable HTTP",
        "serve Streamable HTTP at one endpoint (POST and GET), keep the old one for old clients",
      ),
    );
    await session.close();
    return checks;
  }
  const revision = session.protocolVersion ?? "";
  checks.push(
    revision === newestRevision
      ? passed(
          "initialize",
          `revision ${revision}, ${session.sessionId ? "with" : "without"} a session`,
        )
      : (streamableRevisions as readonly string[]).includes(revision)
        ? warned(
            "initialize",
            `revision ${revision}, older than ${newestRevision}`,
            `update the server's MCP SDK`,
          )
        : warned(
            "initialize",
            `unknown revision ${JSON.stringify(revision)}`,
            "answer with a published revision",
          ),
  );
  const headers = (extra: Record<string, string | undefined>): Record<string, string> => {
    const all: Record<string, string | undefined> = {
      ...connection.baseHeaders,
      accept: "application/json, text/event-stream",
      "content-type": "application/json",
      "mcp-protocol-version": revision,
      ...(session.sessionId === undefined ? {} : { "mcp-session-id": session.sessionId }),
      ...extra,
    };
    for (const name of Object.keys(all)) if (all[name] === undefined) delete all[name];
    return all as Record<string, string>;
  };
  const probe = async (
    method: string,
    extra: Record<string, string | undefined>,
    body?: object,
  ) => {
    const response = await sendHttp(
      connection.context,
      method,
      connection.url,
      headers(extra),
      body === undefined ? undefined : JSON.stringify(body),
    );
    discardBody(response.body);
    // An initialize the server took made a session of its own: ended, not left behind.
    const stray = body === initialize ? headerValue(response.headers, "mcp-session-id") : undefined;
    if (stray !== undefined) {
      await sendHttp(connection.context, "DELETE", connection.url, {
        ...headers({ "content-type": undefined }),
        "mcp-session-id": stray,
      }).then(
        (answer) => discardBody(answer.body),
        () => {},
      );
    }
    return { status: response.status, type: mediaType(response), headers: response.headers };
  };
  const ping = { jsonrpc: "2.0", id: "sse-tool-check", method: "ping" };
  const initialize = {
    jsonrpc: "2.0",
    id: "sse-tool-check",
    method: "initialize",
    params: {
      protocolVersion: revision,
      capabilities: {},
      clientInfo: { name: "sse-tool-check", version: packageJson.version },
    },
  };

  // A request of the session itself, to see how responses come.
  await session.request("ping").catch(() => {});
  const stream = session.lastStream;
  checks.push(
    passed(
      "responses",
      session.responseKinds.has("stream")
        ? "answers on event streams"
        : "answers with one JSON body",
    ),
  );
  if (stream === undefined) {
    checks.push(skipped("priming", "no event stream to look at (JSON responses)"));
  } else if (mayPrimeStreams(revision)) {
    checks.push(
      stream.primed
        ? passed("priming", "the stream opens with an event id and empty data")
        : warned(
            "priming",
            "the stream does not open with a priming event (an id, empty data)",
            "send one first, so a client can resume a stream cut before the response",
          ),
    );
  } else {
    checks.push(skipped("priming", `not asked of revision ${revision}`));
  }
  if (stream !== undefined && stream.lastEventId !== "") {
    checks.push(passed("event-ids", `events carry ids (last: ${stream.lastEventId})`));
    const resumed = await probe("GET", {
      accept: "text/event-stream",
      "content-type": undefined,
      "last-event-id": stream.lastEventId,
    });
    checks.push(
      resumed.status === 200 && resumed.type === "text/event-stream"
        ? passed("resumption", "GET with Last-Event-ID opens a stream")
        : warned(
            "resumption",
            `GET with Last-Event-ID got HTTP ${resumed.status} ${resumed.type}`,
            "replay the events after Last-Event-ID on GET (an event store)",
          ),
    );
  } else if (stream !== undefined) {
    checks.push(
      warned(
        "event-ids",
        "stream events carry no id",
        "give events ids so a cut stream can be resumed",
      ),
    );
  }

  const notAcceptable = await probe("POST", { accept: "application/json" }, ping);
  checks.push(
    notAcceptable.status === 406
      ? passed("accept", "POST with only Accept: application/json got 406")
      : warned(
          "accept",
          `POST with only Accept: application/json got HTTP ${notAcceptable.status}`,
          "answer 406 when Accept does not list both application/json and text/event-stream",
        ),
  );
  const badVersion = await probe("POST", { "mcp-protocol-version": "1999-01-01" }, ping);
  checks.push(
    badVersion.status === 400
      ? passed("protocol-version", "an unsupported MCP-Protocol-Version got 400")
      : failed(
          "protocol-version",
          `an unsupported MCP-Protocol-Version got HTTP ${badVersion.status}`,
          "answer 400 Bad Request to a version the server does not support",
        ),
  );

  if (session.sessionId === undefined) {
    checks.push(skipped("session", "the server gives no session id (stateless)"));
  } else {
    const missing = await probe("POST", { "mcp-session-id": undefined }, ping);
    checks.push(
      missing.status === 400
        ? passed("session-missing", "a request without Mcp-Session-Id got 400")
        : warned(
            "session-missing",
            `a request without Mcp-Session-Id got HTTP ${missing.status}`,
            "answer 400 Bad Request to a request without the session id",
          ),
    );
    const unknown = await probe("POST", { "mcp-session-id": "sse-tool-unknown-session" }, ping);
    checks.push(
      unknown.status === 404
        ? passed("session-unknown", "an unknown Mcp-Session-Id got 404")
        : warned(
            "session-unknown",
            `an unknown Mcp-Session-Id got HTTP ${unknown.status}`,
            "answer 404 Not Found to a session id that is unknown or ended: clients then start a new session",
          ),
    );
  }

  // Browser clients read Mcp-Session-Id only when it is exposed; a stateless server has none.
  const exposed =
    session.sessionId === undefined
      ? undefined
      : await probe(
          "POST",
          { origin: browserOrigin, "mcp-session-id": undefined, "mcp-protocol-version": undefined },
          initialize,
        );
  const sessionExposed =
    exposed === undefined ||
    headerList(exposed, "access-control-expose-headers").includes("mcp-session-id");
  const preflight = await probe("OPTIONS", {
    origin: browserOrigin,
    "access-control-request-method": "POST",
    "access-control-request-headers": "content-type, mcp-session-id, mcp-protocol-version",
    "content-type": undefined,
  });
  const allowed = headerList(preflight, "access-control-allow-headers");
  const allowsBoth =
    allowed.includes("*") ||
    (allowed.includes("mcp-session-id") && allowed.includes("mcp-protocol-version"));
  checks.push(
    sessionExposed && allowsBoth
      ? passed(
          "cors",
          "Mcp-Session-Id exposed; the preflight allows Mcp-Session-Id and MCP-Protocol-Version",
        )
      : warned(
          "cors",
          `${sessionExposed ? "" : "Mcp-Session-Id not exposed; "}${allowsBoth ? "" : "the preflight does not allow Mcp-Session-Id and MCP-Protocol-Version"}`.replace(
            /; $/,
            "",
          ),
          "for browser clients: Access-Control-Expose-Headers: Mcp-Session-Id, and allow both headers in preflights",
        ),
  );

  const foreign = await probe(
    "POST",
    { origin: foreignOrigin, "mcp-session-id": undefined, "mcp-protocol-version": undefined },
    initialize,
  );
  checks.push(
    foreign.status === 403
      ? passed("origin", `a request from Origin ${foreignOrigin} got 403`)
      : failed(
          "origin",
          `a request from Origin ${foreignOrigin} got HTTP ${foreign.status}`,
          "validate Origin and answer 403 to unknown origins (DNS-rebinding protection)",
        ),
  );

  const get = await watchServerStream(
    connection,
    headers({ accept: "text/event-stream", "content-type": undefined }),
  );
  checks.push(
    get.status === 405
      ? passed("get-stream", "GET got 405: no server stream (fine)")
      : get.status === 200 && get.type === "text/event-stream"
        ? passed("get-stream", "GET opens the server's stream")
        : warned(
            "get-stream",
            `GET got HTTP ${get.status} ${get.type}`,
            "answer GET with text/event-stream, or 405 when the server offers no stream",
          ),
  );
  const comments = get.comments + (stream?.comments ?? 0);
  checks.push(
    comments > 0
      ? passed("keep-alive", "comments keep quiet streams open")
      : get.type === "text/event-stream"
        ? warned(
            "keep-alive",
            `no comment on the quiet GET stream within ${quietStreamWatchMs / 1000} s`,
            "send a comment (: keep-alive) every 15-30 s, or proxies may cut quiet streams",
          )
        : skipped("keep-alive", "no quiet stream to watch"),
  );

  if (session.sessionId !== undefined) {
    const sessionId = session.sessionId;
    const deleted = await probe("DELETE", { "content-type": undefined });
    if (deleted.status === 405) {
      checks.push(passed("delete", "DELETE got 405: the server ends sessions itself"));
    } else if (deleted.status >= 200 && deleted.status < 300) {
      const after = await probe("POST", { "mcp-session-id": sessionId }, ping);
      checks.push(
        after.status === 404
          ? passed("delete", "DELETE ended the session; its id then got 404")
          : failed(
              "delete",
              `after DELETE, the session id got HTTP ${after.status}`,
              "answer 404 to an ended session (the spec's MUST): clients then start a new one",
            ),
      );
    } else {
      checks.push(
        warned("delete", `DELETE got HTTP ${deleted.status}`, "answer DELETE with 2xx, or 405"),
      );
    }
  }
  return checks;
}
