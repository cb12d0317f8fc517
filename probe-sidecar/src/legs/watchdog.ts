// Fires when nothing was heard for `timeoutMs` of time the probe actually ran. Before firing it checks
// whether the probe itself just stalled and lets pending socket reads run, so a pong that sat unread in a
// buffer while the probe was stopped still counts.
//
// Watchdogs sharing a clock are checked by one sweep every SWEEP_MS instead of a timer each: at 1,000 legs
// a timer per leg, re-armed every timeout, meant hundreds of new Timeouts a second, each living a whole
// timeout and so outliving the young generation (old-generation garbage, major GCs). The price is that a
// silence is noticed up to SWEEP_MS after its timeout.
import type { StallClock } from '../selfmon.js';

/** How often running watchdogs are looked at. */
export const SWEEP_MS = 100;

/** The running watchdogs of one clock, and the one timer that checks them while there are any. */
class Sweep {
  private readonly dogs = new Set<Watchdog>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly clock: StallClock) {}

  add(dog: Watchdog): void {
    this.dogs.add(dog);
    this.timer ??= setInterval(() => this.run(), SWEEP_MS);
  }

  delete(dog: Watchdog): void {
    this.dogs.delete(dog);
    if (this.dogs.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private run(): void {
    const now = this.clock.mono();
    for (const dog of this.dogs) {
      dog.sweep(now);
    }
  }
}

const sweeps = new WeakMap<StallClock, Sweep>();

function sweepFor(clock: StallClock): Sweep {
  let sweep = sweeps.get(clock);
  if (!sweep) {
    sweep = new Sweep(clock);
    sweeps.set(clock, sweep);
  }
  return sweep;
}

export class Watchdog {
  /** In the clock's time: the watchdog measures silence; the leg keeps the wall time of what it heard. */
  private lastHeardMono = 0;
  private running = false;
  /** A last look is queued behind pending I/O. */
  private yielding = false;
  private readonly sweeper: Sweep;

  constructor(
    private readonly timeoutMs: number,
    private readonly clock: StallClock,
    private readonly onExpire: () => void
  ) {
    this.sweeper = sweepFor(clock);
  }

  start(): void {
    this.running = true;
    this.heard();
    this.sweeper.add(this);
  }

  /** Cheap on the hot path: one number; the sweep does the rest. */
  heard(): void {
    this.lastHeardMono = this.clock.mono();
  }

  /** The clock's time (not wall time) of the last sign of life. */
  get lastHeard(): number {
    return this.lastHeardMono;
  }

  stop(): void {
    this.running = false;
    this.sweeper.delete(this);
  }

  /** Called by the sweep with the clock's time; `now - lastHeard` bounds the silence from above. */
  sweep(now: number): void {
    if (this.yielding || now - this.lastHeardMono < this.timeoutMs) {
      return;
    }
    this.clock.poll();
    if (this.silence() < this.timeoutMs) {
      return;
    }
    // setImmediate runs after the I/O poll phase: data already in the socket buffer is read first.
    this.yielding = true;
    setImmediate(() => this.lastLook());
  }

  /** Silence so far, less the time the probe itself was stalled. */
  private silence(): number {
    const now = this.clock.mono();
    return now - this.lastHeardMono - this.clock.stalledMs(this.lastHeardMono, now);
  }

  private lastLook(): void {
    this.yielding = false;
    if (!this.running) {
      return;
    }
    this.clock.poll();
    if (this.silence() < this.timeoutMs) {
      return;
    }
    this.stop();
    this.onExpire();
  }
}
