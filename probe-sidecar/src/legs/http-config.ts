// The http leg's config: its keys and their reader (every problem a ConfigError naming its key).
import { DEFAULTS } from '../config/defaults.js';
import { durationOr, join, type Obj } from '../config/fields.js';
import type { LegConfigBase } from '../config/types.js';
import { healthFallbackWarnings } from './health-fallback.js';
import type { CommonLegFields, LegReadContext } from './registry.js';
import { COMMON_LEG_KEYS } from './leg-keys.js';

export interface HttpLegConfig extends LegConfigBase {
  type: 'http';
}

export const HTTP_KEYS = [...COMMON_LEG_KEYS, 'interval', 'timeout', 'headers'];
export const HTTP_SCHEMES = ['http:', 'https:'];

export function readHttpLeg(l: Obj, common: CommonLegFields, { path }: LegReadContext): HttpLegConfig {
  return {
    type: 'http',
    ...common,
    intervalMs: durationOr(l.interval, join(path, 'interval'), DEFAULTS.http.intervalMs),
    timeoutMs: durationOr(l.timeout, join(path, 'timeout'), DEFAULTS.http.timeoutMs),
  };
}

export function httpWarnings(cfg: HttpLegConfig, path: string): string[] {
  return healthFallbackWarnings(cfg.url, path);
}
