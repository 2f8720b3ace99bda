import { SseToolError } from "../core/errors.js";

export interface ListenCliOptions {
  header?: string[];
  method?: string;
  data?: string;
  insecure?: boolean;
  proxy?: string;
  json?: boolean;
  raw?: boolean;
  comments?: boolean;
  event?: string[];
  maxEvents?: number;
  timeout?: number;
  idleTimeout?: number;
  retry: number;
  lastEventId?: string;
  reconnect: boolean;
  maxRetries?: number;
  maxEventSize: number;
  color: boolean;
  verbose?: boolean;
}

export async function listen(_url: string, _options: ListenCliOptions): Promise<number> {
  throw new SseToolError("usage", "listen is not built yet");
}
