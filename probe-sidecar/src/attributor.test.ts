import { afterEach, describe, expect, it } from 'vitest';
import { Attributor, recentWindowMs } from './attributor.js';
import { DEFAULT_TOPOLOGY, type Incident, type ProbeEvent, type Topology } from './engine.js';

const T0 = Date.parse('2026-06-10T08:00:00Z');
let now = T0;
const made: Attributor[] = [];
afterEach(() => made.splice(0).forEach((a) => a.stop()));

function make(topology: Topology = DEFAULT_TOPOLOGY) {
  const closed: Incident[] = [];
  const a = new Attributor(topology, { onClosed: (i) => closed.push(i), now: () => now });
  made.push(a);
  return { a, closed };
}

const start: ProbeEvent = { type: 'probe_start', time: T0 - 60_000 };
const down = (leg: string, time: number): ProbeEvent => ({
  type: 'disconnect',
  leg,
  time,
  reason: 'reset',
  lastHeard: time - 50,
});
const up = (leg: string, time: number): ProbeEvent => ({
  type: 'reconnect',
  leg,
  time,
  lastFailure: time - 100,
  attempts: 1,
});

describe('Attributor', () => {
  it('opens an incident with provisional suspects, closes it once past the slack, hands it out once', () => {
    now = T0;
    const { a, closed } = make();
    a.load([start], []);
    a.add(down('cloudflare', T0));
    a.evaluate();
    const open = a.openIncidents();
    expect(open).toHaveLength(1);
    expect(open[0]!.end).toBeNull();
    expect(open[0]!.suspects.length).toBeGreaterThan(0);
    now = T0 + 5_000;
    a.add(up('cloudflare', T0 + 5_000));
    a.evaluate();
    // Closed but inside the slack: a late leg could still join, so not final yet.
    expect(closed).toEqual([]);
    expect(a.openIncidents()[0]!.end).toBe(T0 + 5_000);
    now = T0 + 8_000;
    a.evaluate();
    a.evaluate();
    expect(closed.map((i) => i.legs)).toEqual([['cloudflare']]);
    expect(closed[0]!.suspects).toEqual(['wan', 'cf-edge', 'tunnel']);
    expect(a.openIncidents()).toEqual([]);
  });

  it('does not hand out again an incident already in the store (restart)', () => {
    now = T0 + 60_000;
    const { a, closed } = make();
    const id = `${T0}-cloudflare`;
    a.load([start, down('cloudflare', T0), up('cloudflare', T0 + 5_000)], [id]);
    expect(closed).toEqual([]);
    const again = make();
    again.a.load([start, down('cloudflare', T0), up('cloudflare', T0 + 5_000)], []);
    expect(again.closed.map((i) => i.id)).toEqual([id]);
  });

  it('settle (shutdown) finalises closed incidents without waiting for the slack', () => {
    now = T0 + 5_000;
    const { a, closed } = make();
    a.load([start, down('internal', T0), up('internal', T0 + 5_000)], []);
    expect(closed).toEqual([]);
    a.evaluate({ settle: true });
    expect(closed).toHaveLength(1);
  });

  it('holds a flat amount of history however long it runs: old finished incidents leave memory, once', () => {
    now = T0;
    const { a, closed } = make();
    a.load([start], []);
    // Ten hours of a cloudflare blip every two minutes.
    for (let k = 0; k < 300; k++) {
      const t = T0 + k * 120_000;
      now = t;
      a.add(down('cloudflare', t));
      a.evaluate();
      now = t + 3_000;
      a.add(up('cloudflare', t + 3_000));
      a.evaluate();
      now = t + 5_000;
      a.evaluate();
    }
    expect(closed).toHaveLength(300);
    expect(new Set(closed.map((i) => i.id)).size).toBe(300);
    // The recent window's blips (two events each) and the run's start.
    const blips = recentWindowMs(DEFAULT_TOPOLOGY) / 120_000 + 1;
    expect(a.heldEvents()).toBeLessThanOrEqual(2 * blips + 1);
  });

  it("keeps recent events for twice the slowest leg's interval + timeout, never less than two minutes", () => {
    expect(recentWindowMs(DEFAULT_TOPOLOGY)).toBe(120_000);
    const slowLeg = {
      name: 'slow',
      type: 'http' as const,
      segments: ['serve'],
      intervalMs: 300_000,
      timeoutMs: 60_000,
    };
    const slow: Topology = { ...DEFAULT_TOPOLOGY, legs: [...DEFAULT_TOPOLOGY.legs, slowLeg] };
    expect(recentWindowMs(slow)).toBe(720_000);
    // A blip ten minutes ago: gone with the default legs, still held beside a leg that checks every 5 minutes.
    const held = (topology: Topology): number => {
      now = T0;
      const { a } = make(topology);
      a.load([start, down('cloudflare', T0 - 600_000), up('cloudflare', T0 - 597_000)], []);
      return a.heldEvents();
    };
    expect(held(DEFAULT_TOPOLOGY)).toBe(1);
    expect(held(slow)).toBe(3);
  });

  it('keeps the disconnect of a leg down for hours, so its incident stays open and closes once', () => {
    now = T0;
    const { a, closed } = make();
    a.load([start], []);
    a.add(down('internal', T0));
    for (let k = 1; k <= 180; k++) {
      now = T0 + k * 60_000;
      a.add(down('cloudflare', now));
      a.add(up('cloudflare', now + 1_000));
      now += 5_000;
      a.evaluate();
    }
    expect(a.openIncidents().some((i) => i.legs.includes('internal') && i.end === null)).toBe(true);
    expect(a.heldEvents()).toBeLessThan(2 * 60 + 10);
    const before = closed.length;
    a.add(up('internal', now + 1_000));
    now += 5_000;
    a.evaluate();
    const internal = closed.slice(before).filter((i) => i.legs.includes('internal'));
    expect(internal).toHaveLength(1);
    expect(internal[0]?.start).toBe(T0 - 50);
  });
});
