// Fires when nothing was heard for `timeoutMs` of time the probe actually ran. Before firing it checks
// whether the probe itself just stalled and lets pending socket reads run, so a pong that sat unread in a
// buffer while the probe was stopped still counts.
import type { StallClock } from '../selfmon.js';

export class Watchdog {
  private lastHeardMono = 0;
  private lastHeardWall = 0;
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly timeoutMs: number,
    private readonly clock: StallClock,
    private readonly onExpire: () => void
  ) {}

  start(): void {
    this.running = true;
    this.heard();
    this.arm(this.timeoutMs);
  }

  /** Cheap on the hot path: only two numbers; the timer re-checks when it fires. */
  heard(): void {
    this.lastHeardMono = this.clock.mono();
    this.lastHeardWall = Date.now();
  }

  /** Wall time of the last sign of life. */
  get lastHeard(): number {
    return this.lastHeardWall;
  }

  stop(): void {
    this.running = false;
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.timer = null;
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => this.check(true), Math.max(1, Math.ceil(ms)));
  }

  /** Silence so far, less the time the probe itself was stalled. */
  private silence(): number {
    const now = this.clock.mono();
    return now - this.lastHeardMono - this.clock.stalledMs(this.lastHeardMono, now);
  }

  private check(mayYield: boolean): void {
    if (!this.running) {
      return;
    }
    this.clock.poll();
    const silence = this.silence();
    if (silence < this.timeoutMs) {
      return this.arm(this.timeoutMs - silence);
    }
    if (mayYield) {
      // setImmediate runs after the I/O poll phase: data already in the socket buffer is read first.
      setImmediate(() => this.check(false));
      return;
    }
    this.running = false;
    this.onExpire();
  }
}
