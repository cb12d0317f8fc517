/**
 * Slow round trips (stalls under every watchdog), on the physical model: the slowed legs' shared segments are
 * suspected, less those a healthy leg proves, exactly as for drops: it stayed fast through a slowdown long
 * enough to delay one of its round trips, or one of its round trips started and ended promptly while the
 * slowdown was present.
 */
import { describe, expect, it } from 'vitest';
import { at, cut, play, stall } from './testing/scenario';
import { clearedSuspects, unexplainedLegs } from './testing/invariants';
import { DEFAULT_TOPOLOGY, inPathOrder, normalizeTopology, segmentsOf } from './topology';
import type { Incident, Topology } from './types';

/** Every non-empty subset of `items`. */
function subsets<T>(items: readonly T[]): T[][] {
  return Array.from({ length: 2 ** items.length - 1 }, (_, n) => items.filter((_, i) => (n + 1) & (1 << i)));
}

/** The segments every one of `legs` traverses, less the probe's. */
function shared(topology: Topology, legs: readonly string[]): string[] {
  const [first, ...rest] = legs.map((l) => segmentsOf(topology, l).filter((s) => s !== 'probe'));
  return (first ?? []).filter((s) => rest.every((r) => r.includes(s)));
}

const slowdowns = (incidents: readonly Incident[]): Incident[] => incidents.filter((i) => i.reasons.length === 0);

describe('a 4 s serve stall slowing every subset of the runbook legs', () => {
  const topology = normalizeTopology(DEFAULT_TOPOLOGY);
  // A leg checks right after the stall begins (held 3.9 s: slow, under every watchdog), or just after it ends.
  it.each(subsets(['cloudflare', 'internal', 't3serve']).map((slowed) => ({ slowed })))(
    'slowed: $slowed',
    ({ slowed }) => {
      const phaseMs = Object.fromEntries(topology.legs.map((l) => [l.name, slowed.includes(l.name) ? 100 : 4_500]));
      const { verdict, events } = play([stall('serve', 60, 64)], { phaseMs, to: at(150) });
      expect(events.some((e) => e.type === 'disconnect')).toBe(false);
      const [incident, ...more] = slowdowns(verdict.incidents);
      expect(more).toEqual([]);
      expect(incident?.legs).toEqual(slowed);
      // A 4 s stall need not delay a round trip of a leg checking every 10 s: the others are blind.
      expect(incident?.evidence.filter((e) => !slowed.includes(e.leg)).map((e) => e.why.code)).toEqual(
        topology.legs.filter((l) => !slowed.includes(l.name)).map(() => 'too_few_round_trips')
      );
      expect(incident?.suspects).toEqual(shared(topology, slowed));
    }
  );
});

describe('slowdowns on four legs: healthy legs clear their segments, slowdowns apart are split', () => {
  /**
   * Four legs: three through the segments a slowdown may hit, and `store`, checking every second on its own
   * segment, whose cut while the slowdown lasts makes the probe cross-check every leg.
   */
  const topology = normalizeTopology({
    segments: ['edge', 'lb', 'app', 'db'].map((id) => ({ id, name: id })),
    legs: [
      { name: 'public', type: 'websocket', segments: ['edge', 'lb', 'app'], intervalMs: 10_000, timeoutMs: 20_000 },
      { name: 'private', type: 'websocket', segments: ['lb', 'app'], intervalMs: 10_000, timeoutMs: 20_000 },
      { name: 'api', type: 'http', segments: ['app'], intervalMs: 10_000, timeoutMs: 5_000 },
      { name: 'store', type: 'websocket', segments: ['db'], intervalMs: 1_000, timeoutMs: 5_000 },
    ],
  });
  const through = (segment: string): string[] =>
    ['public', 'private', 'api'].filter((l) => segmentsOf(topology, l).includes(segment));
  const cases = ['edge', 'lb', 'app'].flatMap((segment) =>
    subsets(through(segment)).map((slowed) => ({ segment, slowed }))
  );

  it.each(cases)(
    '$segment stalled 4 s, slowing $slowed: the cross-checked legs beside it clear theirs',
    ({ segment, slowed }) => {
      // The slowed legs check 0.1 s into the stall, the others after it; `store` is cut 2.5 s in.
      const phaseMs = {
        public: 4_500,
        private: 4_500,
        api: 4_500,
        store: 450,
        ...Object.fromEntries(slowed.map((l) => [l, 100])),
      };
      const { verdict } = play([stall(segment, 60, 64), cut('db', 62.5, 64.5)], { topology, phaseMs, to: at(150) });
      const [incident, ...more] = slowdowns(verdict.incidents);
      expect(more).toEqual([]);
      expect(incident?.legs).toEqual(slowed);
      // A leg beside the stall answered its cross-check at once, while the slowed round trips were held.
      const beside = ['public', 'private', 'api'].filter((l) => !through(segment).includes(l));
      const clear = incident?.evidence.filter((e) => e.role === 'clear');
      expect(clear?.map((e) => [e.leg, e.why.code])).toEqual(beside.map((l) => [l, 'answered_cross_check']));
      const cleared = new Set(beside.flatMap((l) => segmentsOf(topology, l)));
      expect(incident?.suspects).toEqual(
        inPathOrder(
          topology,
          shared(topology, slowed).filter((s) => !cleared.has(s))
        )
      );
      expect(incident?.suspects).toContain(segment);
      expect(unexplainedLegs(incident!, topology)).toEqual([]);
      expect(clearedSuspects(incident!, topology)).toEqual([]);
    }
  );

  it('two slowdowns at once on legs that share no segment: split, each blaming its own, and saying so', () => {
    // public checks 0.1 s into a 4 s edge stall; store, checking every second, waits 2.6 s on a db stall.
    const phaseMs = { public: 100, private: 4_500, api: 4_500, store: 0 };
    const { verdict } = play([stall('edge', 60, 64), stall('db', 61, 63.6)], { topology, phaseMs, to: at(150) });
    const split = slowdowns(verdict.incidents);
    expect(split.map((i) => [i.legs, i.suspects, i.concurrentLegs])).toEqual([
      [['public'], ['edge', 'lb', 'app'], ['store']],
      [['store'], ['db'], ['public']],
    ]);
    expect(split[1]?.summary).toContain("a separate fault from public's at the same time");
  });

  it('a cross-check held by the stall itself proves nothing, though it came back under the threshold', () => {
    // private's cross-check at 62.5 s waits for the lb stall to end at 64 s: 1.5 s, yet held.
    const phaseMs = { public: 100, private: 4_500, api: 4_500, store: 450 };
    const { verdict } = play([stall('lb', 60, 64), cut('db', 62.5, 64.5)], { topology, phaseMs, to: at(150) });
    const private_ = slowdowns(verdict.incidents)[0]?.evidence.find((e) => e.leg === 'private');
    expect(private_?.role).toBe('blind');
  });

  it('a leg without data clears nothing', () => {
    const phaseMs = { public: 100, private: 4_500, store: 450 };
    const { verdict } = play([stall('lb', 60, 64), cut('db', 62.5, 64.5)], {
      topology,
      phaseMs,
      without: ['api'],
      to: at(150),
    });
    const [incident] = slowdowns(verdict.incidents);
    expect(incident?.evidence.find((e) => e.leg === 'api')?.role).toBe('nodata');
    expect(incident?.suspects).toEqual(['edge', 'lb', 'app']);
  });
});
