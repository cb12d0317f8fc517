// Every default of the probe's config, in one place: the readers fill in these values for keys left out,
// and a test holds the README's config example to them.
import { DEFAULT_THRESHOLDS } from '../engine.js';

const DAY_MS = 86_400_000;

export const DEFAULTS = {
  listen: '0.0.0.0:9464',
  /** Relative to the config file's directory. */
  dataDir: './data',
  /** Websocket legs (top-level `heartbeat`, overridable per leg): the t3 client's watchdog in the runbook. */
  heartbeat: { intervalMs: 10_000, timeoutMs: 20_000 },
  websocket: {
    protocol: 't3',
    /** permessage-deflate offered, as browsers always do. */
    compression: true,
    /** `auth.recheck`, a ticket's lifetime: a connected leg learns of a revoked token no later than a browser. */
    authRecheckMs: 300_000,
  },
  /** Http legs' `interval` and `timeout`. */
  http: { intervalMs: 10_000, timeoutMs: 5_000 },
  /** Tcp legs' `interval` and `timeout` (an http leg's: a connect is its check). */
  tcp: { intervalMs: 10_000, timeoutMs: 5_000 },
  /** Backoff doubling from `initial` to `max` (the t3 client's schedule); `refused`: after a refusal. */
  reconnect: { initialMs: 3_000, maxMs: 16_000, refusedMs: 60_000 },
  retentionMs: 30 * DAY_MS,
  /** The engine's own defaults, so live attribution and a verdict computed elsewhere judge alike. */
  attribution: { rttStallMs: DEFAULT_THRESHOLDS.rttStallMs, slackMs: DEFAULT_THRESHOLDS.slackMs },
} as const;
