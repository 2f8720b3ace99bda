/**
 * Headless Chromium for the browser tests: Debian's `chromium` package driven by
 * playwright-core. No browser is downloaded at install time (that cannot work on many CI
 * machines); `.ci/run` installs the package. A missing browser fails the suite loudly.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";

export const chromiumPath = process.env.SSE_TOOL_CHROMIUM ?? "/usr/bin/chromium";

/** Screenshots and other test artefacts; git-ignored. */
export const testTmpDir = fileURLToPath(new URL("../.tmp", import.meta.url));

/**
 * Host names under `.test` (RFC 2606) resolve to 127.0.0.1 in the browser: a page can be
 * served from another origin (`http://page.test:<port>`) or through a DNS-rebinding name by a
 * local test server, with no DNS and no network.
 */
export const testHostResolverRules = "--host-resolver-rules=MAP *.test 127.0.0.1";

/**
 * Launches one browser; share it across a test file (`beforeAll`/`afterAll`) because a launch
 * costs about a second of CPU on a small machine.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}. The browser tests need Debian's chromium package: ` +
        "run `apt-get update && apt-get install -y chromium` (or .ci/run, which installs it), " +
        "or point SSE_TOOL_CHROMIUM at a Chromium binary.",
    );
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
      testHostResolverRules,
    ],
  });
}

/** Makes sure test/.tmp exists and returns the path of a file in it. */
export async function testTmpFile(name: string): Promise<string> {
  await mkdir(testTmpDir, { recursive: true });
  return join(testTmpDir, name);
}
