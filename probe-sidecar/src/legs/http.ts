// The http leg: a GET every interval with a timeout (the t3serve leg against /.well-known/t3/environment).
// A 2xx answer is healthy; a timeout, a network error or any other status is a failure.
import type { StallClock } from '../selfmon.js';
import { HTTP_KEYS, HTTP_SCHEMES, httpWarnings, readHttpLeg, type HttpLegConfig } from './http-config.js';
import { CheckLeg, type CheckOutcome } from './check-leg.js';
import type { LegHooks } from './leg.js';
import { reasonFromError, reasonFromStatus } from './reasons.js';
import type { LegKind } from './registry.js';
import { request, type HttpResult } from './request.js';

export class HttpLeg extends CheckLeg {
  constructor(
    private readonly cfg: HttpLegConfig,
    clock: StallClock,
    hooks: LegHooks
  ) {
    super(cfg, clock, hooks);
  }

  protected async check(): Promise<CheckOutcome> {
    try {
      const res: HttpResult = await request(this.cfg.url, {
        method: 'GET',
        headers: this.cfg.headers,
        timeoutMs: this.cfg.timeoutMs,
        clock: this.clock,
      });
      return res.status >= 200 && res.status < 300
        ? { ok: true, latencyMs: res.latencyMs }
        : { ok: false, reason: reasonFromStatus(res.status), detail: `HTTP ${res.status}` };
    } catch (err) {
      return { ok: false, reason: reasonFromError(err, 'open'), detail: (err as Error).message };
    }
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
