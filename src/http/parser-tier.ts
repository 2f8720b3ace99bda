/**
 * A process start-up step for `listen`: keep undici's llhttp WebAssembly parser on V8's baseline
 * tier. undici compiles llhttp on the first HTTP/1.1 connection, and V8's optimizing tier
 * (TurboFan) then recompiles it on a background thread: about 35 MB more peak RSS and a CPU core
 * taken from the stream being read (issue 8, `npm run bench`). The baseline tier (Liftoff) is
 * enough here: llhttp only frames an event stream's body, it does not scan it.
 *
 * It changes a V8 flag for the whole process, so only the command line calls it, before the
 * first connection; in-process callers (demo, tests, a library user) keep their own settings.
 */
import { setFlagsFromString } from "node:v8";

export function keepHttpParserOnBaselineTier(): void {
  setFlagsFromString("--liftoff-only");
}
