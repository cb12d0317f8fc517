/**
 * Two independent faults at once, on the physical model: every failing leg must be explained by a suspect on
 * its own path, and one fault's length must not be lent to the other (a healthy leg clears only what it
 * would have noticed of each). When one fault cannot explain every failing leg, the incidents are split and
 * say so.
 */
import { describe, expect, it } from 'vitest';
import { at, cut, play, stall } from './testing/scenario';
import { clearedSuspects, unexplainedLegs } from './testing/invariants';
import { DEFAULT_TOPOLOGY, normalizeTopology } from './topology';
import type { Fault } from './testing/simulate';
import type { Verdict } from './types';

const TOPOLOGY = normalizeTopology(DEFAULT_TOPOLOGY);
const MONITORED = ['wan', 'cf-edge', 'tunnel', 'traefik', 'devvm-net', 'dispatch', 'serve'];

/** What breaks the rules in a verdict's incidents, one line each: none is expected. */
function broken(verdict: Verdict, faults: readonly Fault[]): string[] {
  const faulted = faults.map((f) => f.segment);
  return verdict.incidents.flatMap((i) => [
    ...unexplainedLegs(i, TOPOLOGY).map(
      (leg) => `${i.id}: ${leg} has no suspect on its path (${i.suspects.join(', ')})`
    ),
    ...clearedSuspects(i, TOPOLOGY).map((s) => `${i.id}: ${s} is suspected and cleared`),
    // Each incident comes from a fault: some faulted segment is among its suspects.
    ...(i.suspects.some((s) => faulted.includes(s)) ? [] : [`${i.id}: blames ${i.suspects.join(', ')}, no fault`]),
  ]);
}

const run = (faults: Fault[]): string[] => broken(play(faults, { to: at(180) }).verdict, faults);

describe('a Cloudflare-side black hole, and a serve stall while it lasts', () => {
  // Under, at and over t3serve's 5 s watchdog and the websocket legs' 20 s; early, mid-way, and past its end.
  const lengths = [4, 5, 6, 19, 20, 21];
  const starts = [0.5, 10.5, 30.5];
  const cases = ['wan', 'cf-edge', 'tunnel'].flatMap((hole) =>
    lengths.flatMap((length) => starts.map((start) => ({ hole, length, start })))
  );

  it.each(cases)('black hole on $hole, serve stalled $length s from $start s in', ({ hole, length, start }) => {
    expect(run([stall(hole, 60, 100), stall('serve', 60 + start, 60 + start + length)])).toEqual([]);
  });

  it("the black hole's length is not lent to a 7 s serve stall: two incidents, each saying so", () => {
    const { verdict } = play([stall('cf-edge', 60, 100), stall('serve', 70.5, 77.5)], { to: at(180) });
    expect(verdict.incidents.map((i) => [i.legs, i.suspects, i.concurrentLegs])).toEqual([
      [['cloudflare'], ['wan', 'cf-edge', 'tunnel'], ['t3serve']],
      [['t3serve'], ['devvm-net', 'serve'], ['cloudflare']],
    ]);
    // internal stayed up through the 40 s black hole, but the serve stall was shorter than its watchdog.
    const serve = verdict.incidents[1];
    expect(serve?.evidence.find((e) => e.leg === 'internal')?.why.code).toBe('stall_under_watchdog');
    expect(serve?.summary).toContain("a separate fault from cloudflare's at the same time");
    expect(verdict.headline).toMatch(/^2 incidents, separate faults at the same time: /);
  });
});

describe('fault pairs on different segments, overlapping by various amounts', () => {
  // A 40 s stall on the first segment; an 8 s stall or cut on the second, starting before it, inside it,
  // or overlapping its end.
  const pairs = MONITORED.flatMap((first, i) => MONITORED.slice(i + 1).map((second) => ({ first, second })));
  const cases = pairs.flatMap((p) =>
    (['stall', 'cut'] as const).flatMap((kind) => [-4, 15, 36].map((offset) => ({ ...p, kind, offset })))
  );

  it.each(cases)('$first stalled 40 s, $second $kind 8 s from $offset s', ({ first, second, kind, offset }) => {
    const other = (kind === 'stall' ? stall : cut)(second, 60 + offset, 68 + offset);
    expect(run([stall(first, 60, 100), other])).toEqual([]);
  });
});
