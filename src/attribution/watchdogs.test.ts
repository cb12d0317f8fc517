/**
 * One stall on each segment of the runbook's path, lasting just under, at and just over each threshold a leg
 * notices a stall by (the 2.5 s slow round trip, t3serve's 5 s timeout and its 15 s certain detection, the
 * websocket legs' 20 s watchdog), on the physical model: whichever legs it catches, the stalled segment is
 * among every incident's suspects, every failing leg has a suspect on its path, and no leg that could have
 * missed it clears it.
 */
import { describe, expect, it } from 'vitest';
import { at, play, stall } from './testing/scenario';
import { clearedSuspects, unexplainedLegs } from './testing/invariants';
import { DEFAULT_TOPOLOGY, normalizeTopology } from './topology';

const TOPOLOGY = normalizeTopology(DEFAULT_TOPOLOGY);
const SEGMENTS = ['wan', 'cf-edge', 'tunnel', 'traefik', 'devvm-net', 'dispatch', 'serve'];
const LENGTHS = [2.5, 5, 15, 20].flatMap((s) => [s - 0.1, s, s + 0.1]);
// Two starts a third of a heartbeat apart: where the legs' checks fall in the stall differs.
const cases = SEGMENTS.flatMap((segment) =>
  LENGTHS.flatMap((length) => [60, 63.3].map((start) => ({ segment, length, start })))
);

describe('a stall under, at and over each leg’s threshold', () => {
  it.each(cases)('$segment stalled $length s from $start s', ({ segment, length, start }) => {
    const { verdict } = play([stall(segment, start, start + length)], { to: at(150) });
    // Any stall of 15 s or more holds some check of every leg through it past the 2.5 s threshold: it is seen.
    // A shorter one may fall between checks (63.3 s: none of the legs checks in a 5 s stall).
    expect(verdict.incidents.length > 0 || length < 14).toBe(true);
    const broken = verdict.incidents.flatMap((i) => [
      ...unexplainedLegs(i, TOPOLOGY).map((leg) => `${i.id}: ${leg} has no suspect on its path`),
      ...clearedSuspects(i, TOPOLOGY).map((s) => `${i.id}: ${s} is suspected and cleared`),
      ...(i.suspects.includes(segment) ? [] : [`${i.id}: blames ${i.suspects.join(', ')}`]),
    ]);
    expect(broken).toEqual([]);
  });
});
