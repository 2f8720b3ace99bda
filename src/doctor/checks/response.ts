/**
 * Doctor checks of the response head: status, Content-Type, compression, caching headers, CORS,
 * and the HTTP version. Pure.
 */
import { hopCompression } from "../hop-compression.js";
import { recogniseHops } from "../hops.js";
import type { DoctorObservation } from "../observation.js";
import { burstMinEvents } from "../stream-tally.js";
import { type CheckResult, fail, pass, skip, warn } from "./result.js";

export function checkStatus(o: DoctorObservation): CheckResult {
  if (o.status === 200) return pass("status", "200 OK");
  if (o.status === 204) {
    return fail(
      "status",
      "204 No Content: clients stop and never reconnect",
      "answer 200 with an event stream (204 is only for telling clients to stop)",
    );
  }
  const body = o.bodyStart ? `: ${o.bodyStart.slice(0, 120)}` : "";
  return fail(
    "status",
    `HTTP ${o.status}: EventSource fails the connection and does not reconnect${body}`,
    "answer 200 with Content-Type: text/event-stream",
  );
}

export function checkContentType(o: DoctorObservation): CheckResult {
  const value = o.headers["content-type"];
  if (value === undefined) {
    return fail(
      "content-type",
      "no Content-Type: EventSource fails the connection",
      "send Content-Type: text/event-stream; charset=utf-8",
    );
  }
  const [mime = "", ...parameters] = value.split(";").map((part) => part.trim());
  if (mime.toLowerCase() !== "text/event-stream") {
    return fail(
      "content-type",
      `Content-Type is ${value}, not text/event-stream: EventSource fails the connection`,
      "send Content-Type: text/event-stream; charset=utf-8",
    );
  }
  const charset = parameters
    .map((parameter) => /^charset\s*=\s*"?([^";]*)"?$/i.exec(parameter)?.[1])
    .find((match) => match !== undefined);
  if (
    charset !== undefined &&
    charset.toLowerCase() !== "utf-8" &&
    charset.toLowerCase() !== "utf8"
  ) {
    return warn(
      "content-type",
      `charset=${charset}: clients decode event streams as UTF-8 whatever it says`,
      "encode the stream as UTF-8 and say charset=utf-8",
    );
  }
  return pass("content-type", value);
}

export function checkCompression(o: DoctorObservation): CheckResult {
  const coding = o.headers["content-encoding"];
  if (coding === undefined || coding.toLowerCase() === "identity") {
    return pass("compression", "not compressed");
  }
  // The hop that compresses, when one on the way is known to: its note and its own setting.
  const compressor = recogniseHops(o.headers)
    .map(({ hop }) => ({ name: hop.name, compression: hopCompression[hop.name] }))
    .find(({ compression }) => compression !== undefined);
  const by = compressor
    ? `, most likely by ${compressor.name} (${compressor.compression!.note})`
    : "";
  const flushing =
    o.stream.bursts > 0
      ? "; events come in bursts: the compressor does not flush per event"
      : o.stream.events >= burstMinEvents
        ? "; events still come one by one here (flushed per event)"
        : ": a compressor holds events back until a block fills, unless flushed after each";
  return warn(
    "compression",
    `the stream is compressed (${coding})${by}${flushing}`,
    compressor
      ? `${compressor.name}: ${compressor.compression!.setting}`
      : "exclude text/event-stream from compression, or flush the compressor after each event",
  );
}

export function checkCacheControl(o: DoctorObservation): CheckResult {
  const value = o.headers["cache-control"] ?? "";
  const directives = value
    .toLowerCase()
    .split(",")
    .map((directive) => directive.trim());
  const noCache = directives.includes("no-cache") || directives.includes("no-store");
  const noTransform = directives.includes("no-transform");
  if (noCache && noTransform) return pass("cache-control", value);
  const missing = [noCache ? "" : "no-cache", noTransform ? "" : "no-transform"].filter(Boolean);
  return warn(
    "cache-control",
    value === ""
      ? "no Cache-Control: caches and proxies may store or rewrite the stream"
      : `Cache-Control: ${value} lacks ${missing.join(" and ")}`,
    "send Cache-Control: no-cache, no-transform",
  );
}

export function checkCors(o: DoctorObservation): CheckResult {
  if (o.origin === undefined) return skip("cors", "no --origin given");
  const allowed = o.headers["access-control-allow-origin"];
  if (allowed === "*" || allowed === o.origin) {
    return pass("cors", `Access-Control-Allow-Origin: ${allowed}`);
  }
  return fail(
    "cors",
    allowed === undefined
      ? `no Access-Control-Allow-Origin: a page on ${o.origin} cannot read this stream`
      : `Access-Control-Allow-Origin: ${allowed} does not allow ${o.origin}`,
    `send Access-Control-Allow-Origin: ${o.origin} (or *) on the stream response`,
  );
}

/** An Alt-Svc value advertising HTTP/3 (`h3` or a draft `h3-29`), read in bounded length. */
function advertisesH3(value: string | undefined): boolean {
  if (value === undefined) return false;
  return value
    .slice(0, 1024)
    .split(",")
    .some((entry) => /^h3(-\d+)?=/i.test(entry.trim()));
}

export function checkHttpVersion(o: DoctorObservation): CheckResult {
  if (advertisesH3(o.headers["alt-svc"])) {
    return warn(
      "http-version",
      `Alt-Svc advertises HTTP/3 (h3): browsers may move the stream to QUIC, which doctor does ` +
        "not watch; there, UDP blocked on the way stalls the switch, and a CDN's HTTP/3 edge " +
        "may buffer or time out a stream otherwise than its HTTP/1.1 and HTTP/2 one",
      "test the stream over HTTP/3 too (curl --http3-only -N URL: events one by one, no cut), " +
        "or stop advertising h3 for the stream's host",
    );
  }
  const version = o.httpVersion ?? "1.1";
  if (o.alpnProtocol === "h2") {
    return pass("http-version", `HTTP/${version} used; the server offers HTTP/2 (ALPN h2)`);
  }
  if (o.url.startsWith("https:") && o.alpnProtocol !== undefined) {
    return warn(
      "http-version",
      "HTTP/1.1 only: browsers open at most 6 connections per origin, so a 7th tab's " +
        "EventSource stalls",
      "enable HTTP/2 on the server or its TLS proxy",
    );
  }
  if (o.url.startsWith("https:")) {
    return pass("http-version", `HTTP/${version} (HTTP/2 support not probed)`);
  }
  return pass(
    "http-version",
    `HTTP/${version} over cleartext (browsers allow 6 streams per origin without TLS + HTTP/2)`,
  );
}
