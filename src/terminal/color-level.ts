/**
 * The one place that decides whether output is coloured. chalk alone does not honour NO_COLOR
 * or our --no-color flag, so the decision is made here and handed to a `new Chalk({ level })`.
 */

/** chalk's levels: 0 none, 1 basic 16 colours, 2 256 colours, 3 truecolor. */
export type ColorLevel = 0 | 1 | 2 | 3;

export interface ColorInputs {
  /** false when `--no-color` was given. */
  colorFlag: boolean;
  env: Record<string, string | undefined>;
  /** Whether the stream the colours go to is a terminal. */
  isTTY: boolean;
  /** What the terminal supports when colour is on (for example chalk's detected level). */
  terminalLevel?: ColorLevel;
}

export function decideColorLevel({
  colorFlag,
  env,
  isTTY,
  terminalLevel,
}: ColorInputs): ColorLevel {
  if (!colorFlag) return 0;
  // https://no-color.org: any non-empty value disables colour.
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === "0" || force === "false") return 0;
    if (force === "2") return 2;
    if (force === "3") return 3;
    return Math.max(1, terminalLevel ?? 1) as ColorLevel;
  }
  if (!isTTY || env.TERM === "dumb") return 0;
  return Math.max(1, terminalLevel ?? 1) as ColorLevel;
}
