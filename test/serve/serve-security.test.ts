/**
 * Issue 5, security: `serve` binds loopback unless told otherwise, and no request reads any file
 * but the source it was given (there is no static file route to escape from; these requests
 * prove it stays that way).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServe, startServe } from "../helpers/sse-client.js";

/** Sends a raw request (the target exactly as written, no URL normalisation) and reads the reply. */
function rawGet(origin: string, target: string): Promise<string> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answer = "";
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString("latin1");
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(answer));
    socket.end(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
  });
}

describe("serve: only its own source is ever read", () => {
  const dir = mkdtempSync(join(tmpdir(), "sse-tool-security-"));
  const source = join(dir, "events.txt");
  const secret = join(dir, "secret.txt");
  let served: RunningServe;

  beforeAll(async () => {
    writeFileSync(source, "hello\n");
    writeFileSync(secret, "TOP-SECRET-CONTENT\n");
    served = await startServe(["--no-wait", "--quiet", source]);
  });
  afterAll(() => served.cli.kill());

  it("binds 127.0.0.1 by default", () => {
    expect(new URL(served.url).hostname).toBe("127.0.0.1");
  });

  it.each([
    `/${secret}`,
    `/..${secret}`,
    `/../../../../../../..${secret}`,
    `/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e${secret.replaceAll("/", "%2f")}`,
    `/events/../../../../../..${secret}`,
    `/?file=${encodeURIComponent(secret)}`,
    "/../../../../../../etc/passwd",
    "/etc/passwd",
    `//${secret}`,
  ])("GET %s answers without any file's content", async (target) => {
    const answer = await rawGet(served.origin, target);
    expect(answer).toMatch(/^HTTP\/1\.1 (200|400|404) /);
    expect(answer).not.toContain("TOP-SECRET-CONTENT");
    expect(answer).not.toMatch(/root:.*:0:0:/);
  });
});
