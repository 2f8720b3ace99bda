/**
 * A chalk instance for one output stream, coloured as `decideColorLevel` says: the one place
 * where the colour decision (src/terminal/color-level.ts) is handed to chalk.
 */
import { Chalk, type ChalkInstance, supportsColor, supportsColorStderr } from "chalk";
import { type ColorLevel, decideColorLevel } from "./color-level.js";

export interface ChalkTarget {
  /** false when `--no-color` was given. */
  colorFlag: boolean;
  env: Record<string, string | undefined>;
  /** The stream the coloured text is written to (its `isTTY` decides). */
  stream: { isTTY?: boolean };
  /** Which process stream it stands for: whose colour depth chalk detected. */
  standsFor: "stdout" | "stderr";
}

export function chalkFor({ colorFlag, env, stream, standsFor }: ChalkTarget): ChalkInstance {
  const detected = standsFor === "stdout" ? supportsColor : supportsColorStderr;
  const level = decideColorLevel({
    colorFlag,
    env,
    isTTY: stream.isTTY === true,
    terminalLevel: detected ? (detected.level as ColorLevel) : undefined,
  });
  return new Chalk({ level });
}
