/** Factories for Prometheus-shaped evidence: a healthy range, then only what a test changes. */
import type { AggregateEvidence, LegAggregate } from '../aggregate';
import { T0 } from './scenario';

const healthyLeg = (over: Partial<LegAggregate> = {}): LegAggregate => ({
  drops: { heartbeat_timeout: 0, reset: 0 },
  connectedNow: true,
  connectedMin: 1,
  rttP99Ms: 12,
  slowSamples: 0,
  ...over,
});

export function evidence(
  legs: Record<string, Partial<LegAggregate> | null> = {},
  over: Partial<AggregateEvidence> = {}
): AggregateEvidence {
  const all: AggregateEvidence['legs'] = {};
  for (const name of ['cloudflare', 'internal', 't3serve']) {
    const o = legs[name];
    all[name] = o === null ? undefined : healthyLeg(o);
  }
  return { from: T0, to: T0 + 3_600_000, probeUp: true, legs: all, incidentsBySuspect: {}, pressure: {}, ...over };
}
