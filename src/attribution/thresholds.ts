import type { Thresholds } from './types';

export const DEFAULT_THRESHOLDS: Thresholds = {
  // Matches the `le="2.5"` bucket of t3probe_rtt_seconds, so the dashboard can count slow round trips.
  rttStallMs: 2_500,
  // A tenth of wall time fully stalled on IO or memory is far past a healthy box (runbook §3).
  psiFull: 0.1,
  psiSome: 0.3,
  // Legs of one probe share a clock: what separates their views of one fault is round trips and timer
  // granularity, well under a second.
  slackMs: 500,
};

export function withDefaults(thresholds: Partial<Thresholds> | undefined): Thresholds {
  return { ...DEFAULT_THRESHOLDS, ...(thresholds ?? {}) };
}
