/**
 * `startLlmFake({ provider, replies })` for test code (`import { startLlmFake } from
 * "sse-tool"`): the provider's API faked on a free loopback port, answering with the scripted
 * replies (script.ts), as `serve --llm-fake --script` does. Hand `baseURL` to the provider's
 * SDK. Nothing is printed: log lines go to `onLog`.
 */
import { SseToolError } from "../../errors.js";
import { checkServeAccess } from "../access/serve-access.js";
import { closeFlushTimeoutMs, createEndpoint } from "../endpoint.js";
import { serverDefaults } from "../library-options.js";
import type { LlmFakeProvider } from "./providers.js";
import { llmFakeRoutes } from "./route.js";
import type { LlmFakePace, LlmFakeReply } from "./script.js";
import { checkLlmFakeScript } from "./script-check.js";

export type { LlmFakeProvider } from "./providers.js";
export type {
  LlmFakeHttpError,
  LlmFakeMatch,
  LlmFakePace,
  LlmFakeReply,
  LlmFakeStall,
  LlmFakeToolCall,
} from "./script.js";

export interface StartLlmFakeOptions {
  provider: LlmFakeProvider;
  /** Each chosen by its `match`, or taken in turn (the last one repeats). */
  replies: LlmFakeReply[];
  /** The pace of the replies that set none. */
  pace?: LlmFakePace;
  /** Seeds the jitter. Default 1. */
  seed?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  onLog?: (message: string) => void;
}

export interface RunningLlmFake {
  /** http://host:port */
  origin: string;
  /** What the provider's SDK takes as its base URL (for `vercel-ai`, useChat's `api`). */
  baseURL: string;
  /** Stops answering; replies being streamed finish at once. */
  close(): Promise<void>;
}

/** Where each SDK expects the API to start. */
const baseUrlPaths: Record<LlmFakeProvider, string> = {
  openai: "/v1",
  "openai-responses": "/v1",
  anthropic: "",
  gemini: "",
  cohere: "",
  "vercel-ai": "/api/chat",
};

export async function startLlmFake(options: StartLlmFakeOptions): Promise<RunningLlmFake> {
  const checked = checkLlmFakeScript({
    replies: options.replies,
    ...(options.pace === undefined ? {} : { pace: options.pace }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  if (checked.problems !== undefined) {
    throw new SseToolError("usage", `startLlmFake: ${checked.problems.join("; ")}`);
  }
  const log = options.onLog ?? (() => {});
  const host = options.host ?? serverDefaults.host;
  const access = await checkServeAccess({ host }, {});
  const { server } = createEndpoint(
    {
      ...serverDefaults,
      host,
      port: options.port ?? 0,
      heartbeat: 0,
      ui: false,
      publish: false,
    },
    access,
    { say: log, log },
  );
  for (const route of llmFakeRoutes({
    provider: options.provider,
    script: checked.script,
    finishNow: server.closingSignal,
    log,
  })) {
    server.addRoute(route);
  }
  const origin = new URL(await server.listen()).origin;
  return {
    origin,
    baseURL: `${origin}${baseUrlPaths[options.provider]}`,
    close: () => server.close(closeFlushTimeoutMs),
  };
}
