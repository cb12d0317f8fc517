import { describe, expect, it } from 'vitest';
import { breakDetectionMs, stallDetectionMs } from './leg-types';
import {
  DEFAULT_TOPOLOGY,
  normalizeTopology,
  serveSegment,
  TopologyError,
  unmonitoredSegments,
  userOfSegment,
  validateTopology,
} from './topology';
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
    expect(problem(badType)).toBe('legs[0].type: "grpc" is not one of websocket, http, tcp');
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

describe("users' own serve instances", () => {
  const withUsers = (): Topology => {
    const t = clone();
    t.legs.push({ name: 'a', type: 'http', segments: [], intervalMs: 10_000, timeoutMs: 5_000, user: 'alice' });
    t.legs.push({
      name: 'b',
      type: 'http',
      segments: ['serve', 'devvm-net'],
      intervalMs: 1,
      timeoutMs: 1,
      user: 'bob',
    });
    t.users = ['carol'];
    return t;
  };

  it('each user gets the segment serve.<user>, right after serve and before probe; their legs traverse it', () => {
    const t = withUsers();
    expect(() => validateTopology(t)).not.toThrow();
    const n = normalizeTopology(t);
    expect(n.segments.map((s) => s.id).slice(-5)).toEqual([
      'serve',
      'serve.carol',
      'serve.alice',
      'serve.bob',
      'probe',
    ]);
    expect(n.segments.find((s) => s.id === 'serve.alice')?.name).toBe("alice's t3 serve instance");
    expect(n.users).toEqual(['carol', 'alice', 'bob']);
    expect(n.legs.find((l) => l.name === 'a')?.segments).toEqual(['serve.alice', 'probe']);
    expect(n.legs.find((l) => l.name === 'b')?.segments).toEqual(['devvm-net', 'serve', 'serve.bob', 'probe']);
    expect(n.legs.find((l) => l.name === 't3serve')?.segments).toEqual(['devvm-net', 'serve', 'probe']);
    // A user without a leg: their instance is unmonitored.
    expect(unmonitoredSegments(n)).toEqual(['client', 'serve.carol']);
    expect(normalizeTopology(n)).toEqual(n);
    expect(() => validateTopology(n)).not.toThrow();
  });

  it("serve keeps serve's role; users' instances are known as theirs", () => {
    const n = normalizeTopology(withUsers());
    expect(serveSegment(n)).toBe('serve');
    expect(userOfSegment(n, 'serve.bob')).toBe('bob');
    expect(userOfSegment(n, 'serve')).toBeUndefined();
    expect(userOfSegment(n, 'serve.dave')).toBeUndefined();
  });

  it('without users nothing changes: no users key, the same segments', () => {
    expect(normalizeTopology(DEFAULT_TOPOLOGY)).not.toHaveProperty('users');
    expect(normalizeTopology(DEFAULT_TOPOLOGY).segments.map((s) => s.id)).toEqual(
      DEFAULT_TOPOLOGY.segments.map((s) => s.id)
    );
  });

  it('a topology without serve gets the instances after its last segment, before probe', () => {
    const n = normalizeTopology({
      segments: [
        { id: 'edge', name: 'Edge' },
        { id: 'app', name: 'App' },
      ],
      legs: [{ name: 'x', type: 'http', segments: ['app'], intervalMs: 1, timeoutMs: 1, user: 'u1' }],
    });
    expect(n.segments.map((s) => s.id)).toEqual(['edge', 'app', 'serve.u1', 'probe']);
    expect(serveSegment(n)).toBe('app');
  });

  it('names the problem: users, user names, a leg on another user’s instance', () => {
    const notList = withUsers();
    (notList as { users: unknown }).users = 'carol';
    expect(problem(notList)).toBe('users: must be a list of user names');
    const dup = withUsers();
    dup.users = ['carol', 'dave', 'carol'];
    expect(problem(dup)).toBe('users[2]: duplicate user "carol"');
    const bad = withUsers();
    bad.users = ['has space'];
    expect(problem(bad)).toMatch(/^users\[0\]: "has space" is not a valid user name/);
    const long = withUsers();
    long.users = ['x'.repeat(60)];
    expect(problem(long)).toMatch(
      /^users\[0\]: "x+" is too long: its segment "serve\.x+" must have at most 63 characters$/
    );
    const badLeg = withUsers();
    badLeg.legs[3]!.user = '';
    expect(problem(badLeg)).toMatch(/^legs\[3\]\.user: "" is not a valid user name/);
    const foreign = withUsers();
    foreign.legs[4]!.segments = ['serve.alice'];
    expect(problem(foreign)).toBe(
      'legs[4].segments[0]: "serve.alice" is alice\'s own serve instance: only a leg with user "alice" traverses it'
    );
    const shared = withUsers();
    shared.legs[2]!.segments = ['serve', 'serve.carol'];
    expect(problem(shared)).toMatch(/^legs\[2\]\.segments\[1\]: "serve\.carol" is carol's own serve instance/);
    const empty = withUsers();
    empty.legs[2]!.segments = [];
    expect(problem(empty)).toBe('legs[2].segments: leg "t3serve" must traverse at least one segment');
  });
});
