/** `doctor` run in-process with its streams handed in, against a real local server. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DoctorCliOptions, declareDoctor } from "../../src/doctor/cli.js";
import { doctor } from "../../src/doctor/command.js";
import { collectedIo, parsedOptions } from "../helpers/command-io.js";
import { startTestServer, type TestServer } from "../helpers/http-test-server.js";
import { streamRoute } from "./doctor-test-server.js";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    "/good": streamRoute(),
    "/status-500": streamRoute({ status: 500 }),
  });
});

afterAll(async () => {
  await server.close();
});

describe("doctor with injected I/O", () => {
  it("writes its JSON report to the given stdout and nothing to the given stderr", async () => {
    const url = `${server.url}/status-500`;
    const options = parsedOptions<DoctorCliOptions>(declareDoctor, [
      "doctor",
      "--json",
      "--duration",
      "1",
      url,
    ]);
    const { io, stdout, stderr } = collectedIo();
    const code = await doctor(url, options, io);
    const report = JSON.parse(stdout()) as { checks: Array<{ id: string; status: string }> };
    expect(report.checks.find((check) => check.id === "status")?.status).toBe("fail");
    expect(code).toBe(1);
    expect(stderr()).toBe("");
  });

  it("an abort of the given signal ends the watch early: the report so far, exit 130", async () => {
    const url = `${server.url}/good`;
    const options = parsedOptions<DoctorCliOptions>(declareDoctor, [
      "doctor",
      "--verbose",
      "--duration",
      "60",
      url,
    ]);
    const { io, stdout, stderrLine, stop } = collectedIo();
    const started = Date.now();
    const running = doctor(url, options, io);
    // -v shows the response head on the given stderr: the watch is under way.
    await stderrLine(/^< HTTP\/1\.1 200/m);
    stop.abort();
    expect(await running).toBe(130);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(stdout()).toMatch(/PASS +status/);
  });
});
