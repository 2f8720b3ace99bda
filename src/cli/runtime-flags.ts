/**
 * A start-up step of the commands that read one long stream (listen, doctor): two V8 flags for
 * reading it fast in little memory. They change the whole process, so only the command line
 * sets them, before the first connection; in-process callers keep their own settings.
 * - `--liftoff-only`: undici's llhttp WebAssembly parser stays on V8's baseline tier; the
 *   optimizing tier would recompile it on a thread that takes a core from the stream, and llhttp
 *   only frames the body, it does not scan it.
 * - `--semi-space-growth-factor=1`: the young generation keeps its first size instead of
 *   growing while events stream at full speed: a lower peak for a little more scavenging. Read
 *   when the space would grow, so it works set after start-up.
 */
import { setFlagsFromString } from "node:v8";

export function applyStreamingRuntimeFlags(): void {
  setFlagsFromString("--liftoff-only");
  setFlagsFromString("--semi-space-growth-factor=1");
}
