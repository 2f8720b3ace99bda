/**
 * What a report page draws: a list of charts, each a shared x axis (seconds, or milliseconds
 * for a distribution) with series of y values, plus marks (instants) and bands (spans) drawn on
 * the same axis. Load's and doctor's reports build these; charts-script.ts draws them. Types
 * only.
 */

export interface ChartSeries {
  label: string;
  /** One value per x; null where there is none. */
  values: Array<number | null>;
  color: string;
  /** Bars instead of a line (counts per bin, events as marks). */
  bars?: boolean;
  /** Points only, no line (instants such as events). */
  points?: boolean;
}

export interface ChartMark {
  x: number;
  label: string;
  color: string;
}

export interface ChartBand {
  from: number;
  to: number;
  label: string;
  color: string;
}

export interface ChartSpec {
  /** Element id: tests find a chart by it. */
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  /** "time": seconds since the start; "value": a measured quantity (a distribution). */
  xKind: "time" | "value";
  x: number[];
  series: ChartSeries[];
  marks?: ChartMark[];
  bands?: ChartBand[];
  /** A horizontal line (a threshold such as the saturation limit). */
  threshold?: { y: number; label: string };
  /** The whole width of the page (one long timeline). */
  wide?: boolean;
  /** Log-scaled x (distributions spanning decades). */
  logX?: boolean;
}
