import { type DataFrame } from '@grafana/data';
import { FROM, TO } from './clock';
import { promInstant, promSeries } from './frames';

/** A fixed window so tests never depend on the clock: 2026-06-10 14:00 → 15:00 UTC (the one clock's). */
export { FROM, TO };

const LEGS = ['cloudflare', 'internal', 't3serve'] as const;
type LegName = (typeof LEGS)[number];

interface LegScenario {
  drops?: Record<string, number>;
  /** The connected series over the range (1/0 per minute). */
  connected?: number[];
  rttSeconds?: number;
  slow?: number;
  /** max_over_time of t3probe_leg_misconfigured: 1 while a server refused the leg's own config. */
  misconfigured?: number;
}

/**
 * The panel's answer from Prometheus for a window where every leg reports (the default topology), with
 * per-leg overrides. Every reason is pre-initialised at 0 like the probe's counters are.
 */
export function panelFrames(
  overrides: Partial<Record<LegName, LegScenario>> = {},
  extra: { psiIo?: number; psiMemory?: number; probeUp?: number; incidents?: Record<string, number> } = {}
): DataFrame[] {
  const frames: DataFrame[] = [];
  for (const leg of LEGS) {
    const o = overrides[leg] ?? {};
    const drops = { heartbeat_timeout: 0, reset: 0, ...(o.drops ?? {}) };
    for (const [reason, n] of Object.entries(drops)) {
      frames.push(promInstant('drops', { leg, reason }, n, TO));
    }
    frames.push(promSeries('connected', { leg, job: 't3-probe' }, o.connected ?? [1, 1, 1], FROM));
    frames.push(promInstant('rtt', { leg }, o.rttSeconds ?? 0.05, TO));
    frames.push(promInstant('slow', { leg }, o.slow ?? 0, TO));
    frames.push(promInstant('misconfigured', { leg }, o.misconfigured ?? 0, TO));
  }
  for (const [suspect, n] of Object.entries(extra.incidents ?? { serve: 0 })) {
    frames.push(promInstant('incidents', { suspect }, n, TO));
  }
  frames.push(promInstant('psi_io', { instance: 'devvm' }, extra.psiIo ?? 0.01, TO));
  frames.push(promInstant('psi_memory', { instance: 'devvm' }, extra.psiMemory ?? 0.0, TO));
  frames.push(promInstant('probe_up', { job: 't3-probe', instance: 'probe:9464' }, extra.probeUp ?? 1, TO));
  return frames;
}

/** The same frames without one query, or without one leg's series of one query. */
export function without(frames: DataFrame[], refId: string, leg?: string): DataFrame[] {
  return frames.filter((f) => f.refId !== refId || (leg !== undefined && f.fields[1]?.labels?.leg !== leg));
}
