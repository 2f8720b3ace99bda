/**
 * How hard the load process itself worked: CPU time, how busy its event loop was, how late it
 * ran timers, and its peak memory. A saturated generator delays reading, which shows up as
 * latency and skew that the server did not cause; the report says so.
 */
import { monitorEventLoopDelay, performance } from "node:perf_hooks";

export interface GeneratorUsage {
  /** Load processes behind the report (several after --merge). */
  processes: number;
  /** CPU time over wall time; 100 is one core, all threads counted. */
  cpuPercent: number;
  userMs: number;
  systemMs: number;
  /** Share of the run the event loop spent working rather than waiting for I/O. */
  eventLoopBusyPercent: number;
  /** How late the event loop ran timers, 99th percentile. */
  eventLoopDelayP99Ms: number;
  peakRssMb: number;
  /** The event loop was busy almost all the time: the generator may have been the bottleneck. */
  saturated: boolean;
}

/** Busy share over the whole run, or over any `windowSeconds` in a row, that counts as saturated. */
const saturatedOverall = 0.9;
const saturatedWindow = 0.98;
const windowSeconds = 5;

export class GeneratorMonitor {
  readonly #startCpu = process.cpuUsage();
  readonly #startElu = performance.eventLoopUtilization();
  readonly #startedAt = performance.now();
  readonly #delay = monitorEventLoopDelay({ resolution: 20 });
  #lastElu = performance.eventLoopUtilization();
  /** Busy share of each of the last seconds. */
  readonly #recent: number[] = [];
  #busiestWindow = 0;
  readonly #timer: NodeJS.Timeout;

  constructor() {
    this.#delay.enable();
    this.#timer = setInterval(() => this.#sample(), 1000);
    this.#timer.unref();
  }

  /** Busy share of the last second (0-1), for the progress line. */
  get busyNow(): number {
    return this.#recent[this.#recent.length - 1] ?? 0;
  }

  #sample(): void {
    const now = performance.eventLoopUtilization();
    const second = performance.eventLoopUtilization(now, this.#lastElu).utilization;
    this.#lastElu = now;
    this.#recent.push(second);
    if (this.#recent.length > windowSeconds) this.#recent.shift();
    if (this.#recent.length === windowSeconds) {
      const average = this.#recent.reduce((sum, value) => sum + value, 0) / windowSeconds;
      this.#busiestWindow = Math.max(this.#busiestWindow, average);
    }
  }

  finish(): GeneratorUsage {
    clearInterval(this.#timer);
    this.#delay.disable();
    const wallMs = performance.now() - this.#startedAt;
    const cpu = process.cpuUsage(this.#startCpu);
    const busy = performance.eventLoopUtilization(this.#startElu).utilization;
    const userMs = cpu.user / 1000;
    const systemMs = cpu.system / 1000;
    const delayP99Ms = this.#delay.count > 0 ? this.#delay.percentile(99) / 1e6 : 0;
    return {
      processes: 1,
      cpuPercent: round1(((userMs + systemMs) / Math.max(1, wallMs)) * 100),
      userMs: Math.round(userMs),
      systemMs: Math.round(systemMs),
      eventLoopBusyPercent: round1(busy * 100),
      eventLoopDelayP99Ms: round1(delayP99Ms),
      peakRssMb: round1(process.resourceUsage().maxRSS / 1024),
      saturated: busy >= saturatedOverall || this.#busiestWindow >= saturatedWindow,
    };
  }
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
