// The http leg: a GET every interval with a timeout (the t3serve leg against /.well-known/t3/environment).
// A 2xx answer is healthy; a timeout, a network error or any other status is a failure.
import type { StallClock } from '../selfmon.js';
import { HTTP_KEYS, HTTP_SCHEMES, httpWarnings, readHttpLeg, type HttpLegConfig } from './http-config.js';
import { LegBase, type LegHooks } from './leg.js';
import { reasonFromError, reasonFromStatus } from './reasons.js';
import type { LegKind } from './registry.js';
import { request, type HttpResult } from './request.js';

export class HttpLeg extends LegBase {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly cfg: HttpLegConfig,
    private readonly clock: StallClock,
    hooks: LegHooks
  ) {
    super(cfg.name, cfg.type, cfg.segments, hooks);
  }

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

  /** One extra request now; it does not change the leg's state (the regular schedule does that). */
  async crossCheck(): Promise<number | null> {
    if (!this.connected) {
      return null;
    }
    try {
      const res = await this.get();
      return res.status >= 200 && res.status < 300 ? res.latencyMs : null;
    } catch {
      return null;
    }
  }

  private get(): Promise<HttpResult> {
    return request(this.cfg.url, {
      method: 'GET',
      headers: this.cfg.headers,
      timeoutMs: this.cfg.timeoutMs,
      clock: this.clock,
    });
  }

  private async tick(): Promise<void> {
    if (this.stopped) {
      return;
    }
    const started = this.clock.mono();
    this.attempting();
    const attempt = this.get();
    this.inFlight = attempt;
    try {
      const res = await attempt;
      if (this.stopped) {
        return;
      }
      if (res.status >= 200 && res.status < 300) {
        this.healthy();
        // A request the probe itself stalled through measures the probe, not the path.
        if (this.clock.stalledMs(started, this.clock.mono()) === 0) {
          this.rtt(res.latencyMs);
        }
      } else {
        this.failed(reasonFromStatus(res.status), `HTTP ${res.status}`);
      }
    } catch (err) {
      if (this.stopped) {
        return;
      }
      this.failed(reasonFromError(err, 'open'), (err as Error).message);
    } finally {
      this.inFlight = null;
    }
    // Keep the cadence: the next request is due one interval after this one started.
    const wait = Math.max(0, this.cfg.intervalMs - (this.clock.mono() - started));
    this.timer = setTimeout(() => void this.tick(), wait);
  }
}

/** The http type's entry in the registry (legs/registry.ts). */
export const httpLegType: LegKind<HttpLegConfig> = {
  keys: HTTP_KEYS,
  schemes: HTTP_SCHEMES,
  read: readHttpLeg,
  warnings: httpWarnings,
  create: (cfg, { clock, hooks }) => new HttpLeg(cfg, clock, hooks),
};
