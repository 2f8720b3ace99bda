/** Which transport carries streams: the lean HTTP/1.1 client unless HTTP/2 or a proxy needs undici. */
import { describe, expect, it } from "vitest";
import { chooseStreamTransport } from "../../../src/http/transports/choice.js";
import { Http1Transport } from "../../../src/http/transports/http1.js";
import { UndiciTransport } from "../../../src/http/transports/undici.js";

const base = { env: {}, connectTimeoutMs: 1000 };

describe("chooseStreamTransport", () => {
  it.each([
    ["plain HTTP/1.1", base, Http1Transport],
    ["--http2", { ...base, http2: true }, UndiciTransport],
    ["--proxy", { ...base, proxy: "http://127.0.0.1:9" }, UndiciTransport],
    ["HTTPS_PROXY", { ...base, env: { HTTPS_PROXY: "http://127.0.0.1:9" } }, UndiciTransport],
  ])("%s", async (_name, options, expected) => {
    const transport = await chooseStreamTransport(options);
    try {
      expect(transport).toBeInstanceOf(expected);
    } finally {
      await transport.close();
    }
  });
});
