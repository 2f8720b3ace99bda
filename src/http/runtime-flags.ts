/**
 * A process start-up step of the command lines that read one long stream, `listen` and `doctor`:
 * two V8 flags for reading it fast in little memory (issues 8, 12 and 13, measured with
 * `npm run bench` and the long-watch tests). Here because both capabilities use it and neither
 * imports the other; it is about the HTTP client's parser and the stream's garbage.
 * - `--liftoff-only`: undici compiles its llhttp WebAssembly parser on the first HTTP/1.1
 *   connection, and V8's optimizing tier (TurboFan) would recompile it on a background thread,
 *   taking a CPU core from the stream being read. The baseline tier (Liftoff) is enough here:
 *   llhttp only frames an event stream's body, it does not scan it. (`listen --json` throughput
 *   vs the `eventsource` peer: 1.47x with it, 1.27x without.)
 * - `--semi-space-growth-factor=1`: the young generation keeps its initial size instead of
 *   doubling while events stream at full speed. On Node 22 it otherwise grows to tens of MB:
 *   `listen` peaks at 121 MB vs 90 MB for a 256 MiB stream, with the same CPU time; a 256 MiB
 *   `doctor` watch (3.5 million events with unique ids) at 135-139 MB vs 160-168 MB, for up to
 *   ~10% more CPU time (more scavenges), which a watch paced by the server can spare. Unlike
 *   `--max-semi-space-size`, this flag is read when the space would grow, so it works when set
 *   after start-up.
 *
 * They change V8 flags for the whole process, so only the command line calls this, before the
 * first connection; in-process callers (demo, tests, a library user) keep their own settings.
 */
import { setFlagsFromString } from "node:v8";

export function applyStreamingRuntimeFlags(): void {
  setFlagsFromString("--liftoff-only");
  setFlagsFromString("--semi-space-growth-factor=1");
}
