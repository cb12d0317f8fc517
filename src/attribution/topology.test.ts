import { describe, expect, it } from 'vitest';
import { breakDetectionMs, stallDetectionMs } from './leg-types';
import { DEFAULT_TOPOLOGY, normalizeTopology, TopologyError, unmonitoredSegments, validateTopology } from './topology';
import type { Topology } from './types';

const clone = (): Topology => JSON.parse(JSON.stringify(DEFAULT_TOPOLOGY)) as Topology;

function problem(t: unknown): string {
  try {
    validateTopology(t);
  } catch (e) {
    expect(e).toBeInstanceOf(TopologyError);
    return (e as Error).message;
  }
  throw new Error('expected a TopologyError');
}

describe("the default topology (the runbook's)", () => {
  it("is valid and has the three legs of the runbook over the design's segments", () => {
    expect(() => validateTopology(DEFAULT_TOPOLOGY)).not.toThrow();
    expect(DEFAULT_TOPOLOGY.legs.map((l) => l.name)).toEqual(['cloudflare', 'internal', 't3serve']);
    expect(DEFAULT_TOPOLOGY.segments.map((s) => s.id)).toEqual([
      'client',
      'wan',
      'cf-edge',
      'tunnel',
      'traefik',
      'devvm-net',
      'dispatch',
      'serve',
      'probe',
    ]);
  });

  it("leaves only the user's device and last mile unmonitored", () => {
    expect(unmonitoredSegments(normalizeTopology(DEFAULT_TOPOLOGY))).toEqual(['client']);
  });

  it('adds the probe segment to every leg, in path order, and to a topology that lacks it', () => {
    const t = normalizeTopology({
      segments: [
        { id: 'a', name: 'A' },
        { id: 'b', name: 'B' },
      ],
      legs: [{ name: 'x', type: 'http', segments: ['b', 'a'], intervalMs: 1, timeoutMs: 1 }],
    });
    expect(t.segments.map((s) => s.id)).toEqual(['a', 'b', 'probe']);
    expect(t.legs[0]?.segments).toEqual(['a', 'b', 'probe']);
  });

  it('knows how short a fault each leg is sure to notice', () => {
    const [cloudflare, , t3serve] = DEFAULT_TOPOLOGY.legs;
    expect(stallDetectionMs(cloudflare!)).toBe(20_000);
    expect(stallDetectionMs(t3serve!)).toBe(15_000);
    expect(breakDetectionMs(cloudflare!)).toBe(0);
    expect(breakDetectionMs(t3serve!)).toBe(10_000);
  });
});

describe('validating a user-supplied topology names the problem', () => {
  it('unknown segment', () => {
    const t = clone();
    t.legs[1]!.segments[2] = 'trafeik';
    expect(problem(t)).toBe('legs[1].segments[2]: unknown segment "trafeik"');
  });

  it('duplicate segment id', () => {
    const t = clone();
    t.segments.push({ id: 'wan', name: 'again' });
    expect(problem(t)).toMatch(/^segments\[9\]\.id: duplicate segment id "wan"/);
  });

  it('duplicate leg name', () => {
    const t = clone();
    t.legs[2]!.name = 'internal';
    expect(problem(t)).toBe('legs[2].name: duplicate leg name "internal"');
  });

  it('leg without segments', () => {
    const t = clone();
    t.legs[0]!.segments = [];
    expect(problem(t)).toBe('legs[0].segments: leg "cloudflare" must traverse at least one segment');
  });

  it('no legs', () => {
    expect(problem({ segments: DEFAULT_TOPOLOGY.segments, legs: [] })).toMatch(/^legs: must be a non-empty list/);
  });

  it('wrong types, bad names, bad timings, segment listed twice', () => {
    expect(problem(null)).toMatch(/^topology:/);
    expect(problem({ segments: 'wan', legs: [] })).toMatch(/^segments:/);
    const badType = clone();
    (badType.legs[0] as { type: string }).type = 'grpc';
    expect(problem(badType)).toBe('legs[0].type: "grpc" is not one of websocket, http');
    const badName = clone();
    badName.legs[0]!.name = 'has space';
    expect(problem(badName)).toMatch(/^legs\[0\]\.name: "has space" is not a valid leg name/);
    const badTiming = clone();
    badTiming.legs[0]!.timeoutMs = -1;
    expect(problem(badTiming)).toMatch(/^legs\[0\]\.timeoutMs:/);
    const twice = clone();
    twice.legs[2]!.segments = ['serve', 'serve'];
    expect(problem(twice)).toBe('legs[2].segments[1]: segment "serve" listed twice');
    const noName = clone();
    noName.segments[0]!.name = '';
    expect(problem(noName)).toBe('segments[0].name: must be a non-empty string');
  });
});
