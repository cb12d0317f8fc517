// The probe watching itself: a fine timer measures event-loop lag and compares the wall clock with the
// monotonic clock. A lag or a jump above the threshold is a probe stall (GC, CPU starvation, SIGSTOP, a
// suspended VM): timers fired late and pongs may sit unread, so legs must not blame the path for it.
import { performance } from 'node:perf_hooks';

export interface StallClock {
  /** Monotonic milliseconds. */
  mono(): number;
  /** Checks for a stall right now (a watchdog may run before the sampling timer after a stall). */
  poll(): void;
  /** Milliseconds of detected probe stalls overlapping [fromMono, toMono]. */
  stalledMs(fromMono: number, toMono: number): number;
}

interface SelfMonitorOptions {
  tickMs?: number;
  thresholdMs?: number;
  /** Every tick's event-loop lag, in ms. */
  onLag?: (lagMs: number) => void;
  /** A stall that ended at wall time `time`. */
  onStall?: (stall: { time: number; durationMs: number }) => void;
  mono?: () => number;
  wall?: () => number;
}

/** How often the loop is sampled, unless told otherwise. */
export const TICK_MS = 100;

/** Stalls older than this are no longer asked about (the longest watchdog is far shorter). */
const KEEP_MS = 60 * 60 * 1000;

export class SelfMonitor implements StallClock {
  private readonly tickMs: number;
  private readonly thresholdMs: number;
  private readonly monoNow: () => number;
  private readonly wallNow: () => number;
  private lastMono: number;
  private lastWall: number;
  private timer: NodeJS.Timeout | null = null;
  /** Detected stalls as monotonic [start, end]. */
  private stalls: Array<[number, number]> = [];

  constructor(private readonly opts: SelfMonitorOptions = {}) {
    this.tickMs = opts.tickMs ?? TICK_MS;
    this.thresholdMs = opts.thresholdMs ?? 1000;
    this.monoNow = opts.mono ?? (() => performance.now());
    this.wallNow = opts.wall ?? Date.now;
    this.lastMono = this.monoNow();
    this.lastWall = this.wallNow();
  }

  start(): void {
    this.lastMono = this.monoNow();
    this.lastWall = this.wallNow();
    this.timer = setInterval(() => this.sample(true), this.tickMs);
  }

  stop(): void {
    if (this.timer) {
      clearInterval(this.timer);
    }
    this.timer = null;
  }

  mono(): number {
    return this.monoNow();
  }

  poll(): void {
    this.sample(false);
  }

  stalledMs(fromMono: number, toMono: number): number {
    let total = 0;
    for (const [start, end] of this.stalls) {
      total += Math.max(0, Math.min(end, toMono) - Math.max(start, fromMono));
    }
    return total;
  }

  /** `tick`: called by the sampling timer, which was due `tickMs` after the previous sample. */
  private sample(tick: boolean): void {
    const mono = this.monoNow();
    const wall = this.wallNow();
    const elapsed = mono - this.lastMono;
    const lag = Math.max(0, elapsed - this.tickMs);
    // The wall clock moving other than the monotonic one: a suspended VM or a clock step.
    const jump = Math.abs(wall - this.lastWall - elapsed);
    if (tick) {
      this.opts.onLag?.(lag);
    }
    if (lag > this.thresholdMs || jump > this.thresholdMs) {
      const durationMs = Math.round(Math.max(lag, jump));
      this.stalls.push([mono - Math.max(lag, Math.min(jump, elapsed)), mono]);
      this.stalls = this.stalls.filter(([, end]) => end > mono - KEEP_MS);
      this.opts.onStall?.({ time: wall, durationMs });
    }
    // A poll between ticks must not hide the lag the next tick would otherwise see.
    if (tick || lag > this.thresholdMs || jump > this.thresholdMs) {
      this.lastMono = mono;
      this.lastWall = wall;
    }
  }
}
