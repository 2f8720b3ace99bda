/** The fake's endpoint opened on serve's server: shared by startMcpFake() and `serve --mcp-fake`. */
import { checkServeAccess } from "../access/serve-access.js";
import { createEndpoint } from "../endpoint.js";
import { serverDefaults } from "../library-options.js";
import { mcpFakeRoutes } from "./route.js";
import type { McpFakeTools } from "./tools-file.js";

/** The endpoint with the fake's routes, not yet listening (the command adds its own access). */
export async function openMcpFake(
  tools: McpFakeTools,
  where: { host: string; port: number; path: string; heartbeat: number },
  log: (message: string) => void,
  access?: Awaited<ReturnType<typeof checkServeAccess>>,
) {
  const path = where.path.startsWith("/") ? where.path : `/${where.path}`;
  const serveAccess = access ?? (await checkServeAccess({ host: where.host }, {}));
  const { server, journal } = createEndpoint(
    {
      ...serverDefaults,
      host: where.host,
      port: where.port,
      // The event stream route sits aside at a path of its own; the fake answers at `path`.
      path: "/.well-known/sse-tool/events",
      heartbeat: 0,
      ui: false,
      publish: false,
    },
    serveAccess,
    { say: log, log },
  );
  for (const route of mcpFakeRoutes({
    tools,
    path,
    finishNow: server.closingSignal,
    heartbeatMs: where.heartbeat,
    log,
  })) {
    server.addRoute(route);
  }
  return { server, journal, path };
}
