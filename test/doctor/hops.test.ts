import { describe, expect, it } from "vitest";
import { bufferingHops, hops, recogniseHops } from "../../src/doctor/hops.js";

/** Response headers as real hops send them (names lower-case, as the probe keeps them). */
const headerSets: Array<[name: string, headers: Record<string, string>, expected: string[]]> = [
  ["nginx", { server: "nginx/1.27.0" }, ["nginx"]],
  ["OpenResty is nginx", { server: "openresty/1.25.3.1" }, ["nginx"]],
  [
    "Apache behind Varnish",
    {
      server: "Apache/2.4.58 (Ubuntu)",
      via: "1.1 varnish (Varnish/7.4)",
      "x-varnish": "32770 3",
    },
    ["Apache httpd", "Varnish"],
  ],
  ["Tomcat's Apache-Coyote is not Apache httpd", { server: "Apache-Coyote/1.1" }, []],
  ["lighttpd", { server: "lighttpd/1.4.76" }, ["lighttpd"]],
  ["Caddy", { server: "Caddy" }, ["Caddy"]],
  [
    "Squid",
    { server: "squid/6.6", via: "1.1 gateway (squid/6.6)", "x-cache": "MISS from gateway" },
    ["Squid"],
  ],
  ["Envoy", { server: "envoy", "x-envoy-upstream-service-time": "12" }, ["Envoy"]],
  [
    "Kong by its X-Kong- headers",
    { "x-kong-upstream-latency": "3", "x-kong-proxy-latency": "1" },
    ["Kong"],
  ],
  ["Kong by Via", { via: "1.1 kong/3.6.1" }, ["Kong"]],
  ["APISIX", { server: "APISIX/3.9.0" }, ["Apache APISIX"]],
  ["Cloudflare", { server: "cloudflare", "cf-ray": "8f1c2a3b4c5d6e7f-LHR" }, ["Cloudflare"]],
  [
    "CloudFront",
    {
      via: "1.1 0123abcd.cloudfront.net (CloudFront)",
      "x-cache": "Miss from cloudfront",
      "x-amz-cf-id": "q1w2e3r4t5y6u7i8o9p0==",
    },
    ["Amazon CloudFront"],
  ],
  ["Fastly shows as Fastly, not its Varnish", fastly(), ["Fastly"]],
  ["AWS ALB", { server: "awselb/2.0" }, ["AWS load balancer or API Gateway"]],
  ["AWS trace id", { "x-amzn-trace-id": "Root=1-67a-abc" }, ["AWS load balancer or API Gateway"]],
  ["Google Cloud load balancer", { via: "1.1 google" }, ["Google Cloud load balancer"]],
  ["Azure Front Door", { "x-azure-ref": "20241208T012345Z-abc" }, ["Azure Front Door"]],
  ["Vercel", { server: "Vercel", "x-vercel-id": "fra1::iad1::abcd" }, ["Vercel"]],
  ["Fly.io", { server: "Fly/6f0b2c (2024-05-01)", "fly-request-id": "01J-abc" }, ["Fly.io"]],
  ["Heroku", { via: "1.1 vegur" }, ["Heroku router"]],
  [
    "Cloudflare in front of nginx",
    { server: "cloudflare", "cf-ray": "x", via: "1.1 nginx" },
    ["Cloudflare"],
  ],
  ["a Via naming nothing known", { via: "1.1 corp-gateway" }, ["an unrecognised proxy"]],
  ["an application server reached directly", { server: "uvicorn" }, []],
  ["no headers", {}, []],
];

function fastly(): Record<string, string> {
  return { via: "1.1 varnish", "x-served-by": "cache-lhr7380-LHR", "x-cache": "MISS" };
}

describe("recogniseHops", () => {
  it.each(headerSets)("%s", (_name, headers, expected) => {
    expect(recogniseHops(headers).map(({ hop }) => hop.name)).toEqual(expected);
  });

  it("gives the header that named each hop as evidence", () => {
    const found = recogniseHops({ server: "Apache/2.4.58", via: "1.1 varnish (Varnish/7.4)" });
    expect(found.map(({ evidence }) => evidence)).toEqual([
      "Server: Apache/2.4.58",
      "Via: 1.1 varnish (Varnish/7.4)",
    ]);
  });

  it("keeps evidence short however long the header", () => {
    const [found] = recogniseHops({ server: `nginx ${"x".repeat(10_000)}` });
    expect(found?.evidence.length).toBeLessThanOrEqual(100);
    expect(found?.evidence.endsWith("…")).toBe(true);
  });

  it("takes linear time on hostile header values", () => {
    const hostile: Record<string, string> = {};
    for (const name of ["server", "via", "x-cache", "x-served-by"]) {
      hostile[name] = `${"a-".repeat(500_000)}nginx`;
    }
    const started = performance.now();
    const found = recogniseHops(hostile);
    expect(performance.now() - started).toBeLessThan(500);
    // Only the start of a value is read: a name past it is not seen.
    expect(found.map(({ hop }) => hop.name)).not.toContain("nginx");
  });
});

describe("the hop table", () => {
  it("every hop that may hold a stream says how to stop it", () => {
    for (const hop of hops) {
      if (hop.buffering !== "streams") expect(hop.bufferingSetting, hop.name).toBeTruthy();
    }
  });

  it("names are unique, and what a hop includes is in the table", () => {
    const names = hops.map((hop) => hop.name);
    expect(new Set(names).size).toBe(names.length);
    for (const hop of hops) for (const name of hop.includes ?? []) expect(names).toContain(name);
  });

  it("the usual buffering suspects are more than nginx", () => {
    expect(bufferingHops().map((hop) => hop.name)).toEqual(
      expect.arrayContaining(["nginx", "lighttpd", "Kong"]),
    );
  });
});
