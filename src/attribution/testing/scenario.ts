/** Shared helpers for the engine's tests: the runbook's topology, a clock, and simulated fault scenarios. */
import { SECOND, utc } from '../../test/clock';
import { DEFAULT_TOPOLOGY } from '../topology';
import { attributeWindow } from '../window';
import { type Fault, simulate, type SimulationOptions } from './simulate';
import type { Pressure, ProbeEvent, Topology, Verdict } from '../types';

/** 2026-06-10 12:00:00 UTC, the day of the runbook's investigation. */
export const T0 = utc(12);
/** `seconds` after T0. */
export const at = (seconds: number): number => T0 + seconds * SECOND;

interface Played {
  events: ProbeEvent[];
  verdict: Verdict;
}

/**
 * Runs the probe model for five minutes around the faults and asks for the verdict of the window a user
 * would report (by default the whole run).
 */
export function play(
  faults: Fault[],
  extra: Partial<SimulationOptions> & {
    topology?: Topology;
    pressure?: Pressure;
    window?: [number, number];
    /** The verdict for this user's report. */
    user?: string;
  } = {}
): Played {
  const topology = extra.topology ?? DEFAULT_TOPOLOGY;
  const to = extra.to ?? at(300);
  const events = simulate({ topology, faults, from: T0, to, ...extra });
  const [wFrom, wTo] = extra.window ?? [T0, to];
  const verdict = attributeWindow({
    topology,
    events,
    from: wFrom,
    to: wTo,
    now: to,
    pressure: extra.pressure,
    user: extra.user,
  });
  return { events, verdict };
}

export const stall = (segment: string, fromS: number, toS: number): Fault => ({
  segment,
  kind: 'stall',
  from: at(fromS),
  to: at(toS),
});
export const cut = (segment: string, fromS: number, toS: number): Fault => ({
  segment,
  kind: 'break',
  from: at(fromS),
  to: at(toS),
});

export function stateOf(verdict: Verdict, id: string): string | undefined {
  return verdict.segments.find((x) => x.id === id)?.state;
}

/** Fisher–Yates with a fixed seed: out-of-order delivery that is the same on every run. */
export function shuffled<T>(items: readonly T[], seed = 7): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
