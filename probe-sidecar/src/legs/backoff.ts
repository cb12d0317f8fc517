import type { ReconnectPolicy } from '../config/types.js';

/**
 * Delay before reconnect attempt `attempt` (1-based): capped doubling with ±20 % jitter so many probes
 * (or legs) do not retry in lock-step. With the defaults (3 s, 16 s): about 3 s, 6 s, 12 s, then 16 s
 * for every further attempt — close to the t3 client's 3 s, 4 s, 8 s, 16 s, and never above `max`.
 */
export function backoffDelay(
  attempt: number,
  policy: Pick<ReconnectPolicy, 'initialMs' | 'maxMs'>,
  random: () => number = Math.random
): number {
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(Math.min(policy.maxMs, base * (0.8 + 0.4 * random())));
}
