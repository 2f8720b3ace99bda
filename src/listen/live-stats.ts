/**
 * `--stats` while `listen` runs: the counts (stats.ts, pure) fed by the run, a live line on a
 * terminal stderr, and the block printed at the end.
 */
import type { Writable } from "node:stream";
import { decideColorLevel } from "../terminal/color-level.js";
import { escapeForTerminalLine } from "../terminal/escape.js";
import { formatStatsBlock, formatStatsLine, StreamStats } from "./stats.js";
import { StatsPictures } from "./stats-pictures.js";

export interface LiveStatsIo {
  stdout: { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env?: Record<string, string | undefined>;
}

/** How often the live stats line is redrawn on a terminal. */
const liveStatsIntervalMs = 1000;
/** When stdout shares the terminal, a full stats line only every this many redraws. */
const sharedTerminalEveryTicks = 5;

export class LiveStats {
  readonly #io: LiveStatsIo;
  readonly #stats: StreamStats;
  /** Sparklines at the end, where stderr is a terminal with colour on. */
  readonly #pictures: StatsPictures | undefined;
  #liveTimer: NodeJS.Timeout | undefined;
  #liveLineShown = false;
  #liveTicks = 0;
  readonly #timed: boolean;

  /** `timed` false: the input holds no times (rate and gaps left out). */
  constructor(io: LiveStatsIo, startedAtMs: number, timed = true) {
    this.#timed = timed;
    this.#io = io;
    this.#stats = new StreamStats(startedAtMs);
    const level = decideColorLevel({
      colorFlag: true,
      env: io.env ?? {},
      isTTY: io.stderr.isTTY === true,
    });
    this.#pictures = level > 0 ? new StatsPictures(startedAtMs) : undefined;
    if (io.stderr.isTTY) {
      this.#liveTimer = setInterval(() => this.#drawLiveLine(), liveStatsIntervalMs);
      this.#liveTimer.unref();
    }
  }

  recordBytes(count: number): void {
    this.#stats.recordBytes(count);
  }

  recordReconnect(): void {
    this.#stats.recordReconnect();
  }

  recordEvent(type: string, nowMs: number): void {
    this.#stats.recordEvent(type, nowMs);
    this.#pictures?.recordEvent(nowMs);
  }

  /** Stops the live line's timer without printing anything. */
  close(): void {
    clearInterval(this.#liveTimer);
  }

  /** Stops the live line and takes it off the terminal, before the run's last words. */
  endLiveLine(): void {
    clearInterval(this.#liveTimer);
    if (this.#liveLineShown) this.#io.stderr.write("\r\x1b[2K");
    this.#liveLineShown = false;
  }

  /** The stats block on stderr. */
  printBlock(nowMs: number): void {
    for (const line of formatStatsBlock(this.#stats.summary(nowMs), this.#timed)) {
      this.#io.stderr.write(`${escapeForTerminalLine(line)}\n`);
    }
    for (const line of this.#pictures?.lines(nowMs) ?? []) this.#io.stderr.write(`${line}\n`);
  }

  /**
   * Redrawn in place when stdout goes elsewhere; when stdout shares the terminal, a plain line
   * now and then so output is not overwritten.
   */
  #drawLiveLine(): void {
    const line = `sse-tool: ${formatStatsLine(this.#stats.totals(Date.now()))}`;
    if (this.#io.stdout.isTTY) {
      if (++this.#liveTicks % sharedTerminalEveryTicks === 0) this.#io.stderr.write(`${line}\n`);
    } else {
      this.#io.stderr.write(`\r\x1b[2K${line}`);
      this.#liveLineShown = true;
    }
  }
}
