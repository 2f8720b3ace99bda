/**
 * The one results table: rows collected from every suite, printed as Markdown.
 *
 * @typedef {object} Row
 * @property {string} bench      which benchmark (e.g. "1 listen throughput")
 * @property {string} contender  what ran (e.g. "sse-tool listen --json")
 * @property {string} median     the median, formatted with its unit
 * @property {string} [ratio]    e.g. "1.20x peer"
 * @property {string} [target]   e.g. ">= 1.0x peer"
 * @property {boolean} [met]     whether the target is met (undefined: no target on this row)
 * @property {string} [runs]     the samples behind the median, formatted
 */

/**
 * @param {Row[]} rows
 * @returns {string}
 */
export function formatTable(rows) {
  const header = ["benchmark", "contender", "median", "ratio", "target", "met", "runs"];
  const body = rows.map((row) => [
    row.bench,
    row.contender,
    row.median,
    row.ratio ?? "",
    row.target ?? "",
    row.met === undefined ? "" : row.met ? "yes" : "**NO**",
    row.runs ?? "",
  ]);
  const lines = [header, header.map(() => "---"), ...body].map(
    (cells) => `| ${cells.map((cell) => cell.replaceAll("|", "\\|")).join(" | ")} |`,
  );
  return lines.join("\n");
}

/**
 * @param {number} value
 * @param {number} [digits]
 */
export function fmt(value, digits = 0) {
  if (!Number.isFinite(value)) return "n/a";
  return value.toLocaleString("en-US", {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

/**
 * @param {number} value
 */
export function fmtRatio(value) {
  if (!Number.isFinite(value)) return "n/a";
  return `${value >= 10 ? value.toFixed(1) : value.toFixed(2)}x`;
}

/**
 * @param {number} kb
 */
export function fmtMb(kb) {
  return `${fmt(kb / 1024, 1)} MB`;
}

/**
 * What every suite receives.
 * @typedef {object} SuiteOptions
 * @property {boolean} quick           a smaller run (`--quick`)
 * @property {(line: string) => void} log   progress, to stderr
 * @property {(text: string) => void} note  a line printed under the table
 */
