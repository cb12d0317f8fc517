// A leg that checks once every interval (http: a GET, tcp: a connect), on the cadence of the first check:
// the next is due one interval after this one started, however long it took. Each type says what one check
// is; scheduling, stopping, cross-checks and stall-aware round trips are the same for all of them.
import type { LegType, Reason } from '../engine.js';
import type { StallClock } from '../selfmon.js';
import { LegBase, type LegHooks } from './leg.js';

/** One check's outcome: healthy with its latency (ms), or a failure with its reason. */
export type CheckOutcome = { ok: true; latencyMs: number } | { ok: false; reason: Reason; detail: string };

export abstract class CheckLeg extends LegBase {
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    cfg: { name: string; type: LegType; segments: string[]; intervalMs: number },
    protected readonly clock: StallClock,
    hooks: LegHooks
  ) {
    super(cfg.name, cfg.type, cfg.segments, hooks);
    this.intervalMs = cfg.intervalMs;
  }

  /** One check; never rejects. */
  protected abstract check(): Promise<CheckOutcome>;

  start(): void {
    void this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) {
      clearTimeout(this.timer);
    }
    await this.inFlight?.catch(() => undefined);
  }

  /** One extra check now; it does not change the leg's state (the regular schedule does that). */
  async crossCheck(): Promise<number | null> {
    if (!this.connected) {
      return null;
    }
    const outcome = await this.check();
    return outcome.ok ? outcome.latencyMs : null;
  }

  private async tick(): Promise<void> {
    if (this.stopped) {
      return;
    }
    const started = this.clock.mono();
    this.attempting();
    const attempt = this.check();
    this.inFlight = attempt;
    const outcome = await attempt;
    this.inFlight = null;
    if (this.stopped) {
      return;
    }
    if (outcome.ok) {
      this.healthy();
      // A check the probe itself stalled through measures the probe, not the path.
      if (this.clock.stalledMs(started, this.clock.mono()) === 0) {
        this.rtt(outcome.latencyMs);
      }
    } else {
      this.failed(outcome.reason, outcome.detail);
    }
    const wait = Math.max(0, this.intervalMs - (this.clock.mono() - started));
    this.timer = setTimeout(() => void this.tick(), wait);
  }
}
