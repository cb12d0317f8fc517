/**
 * A second vantage (issue 12): a peer probe on devvm runs one leg per user against that user's own serve
 * instance on devvm's loopback. Its legs traverse that instance and the peer's own host, `probe.<peer>`
 * (for the devvm probe: devvm itself), never this probe's. Played on the physical model, one simulation per
 * probe: each probe's faults and freezes are its own.
 */
import { describe, expect, it } from 'vitest';
import { buildIncidents } from './incidents';
import {
  DEFAULT_TOPOLOGY,
  normalizeTopology,
  peerOfLeg,
  peerSegmentId,
  TopologyError,
  validateTopology,
} from './topology';
import { readTimeline } from './timeline';
import { attributeWindow } from './window';
import { at, stall, T0 } from './testing/scenario';
import { simulate, type Fault } from './testing/simulate';
import type { Leg, ProbeEvent, Topology, Verdict } from './types';

const PEER = 'devvm';

function peerLeg(user: string): Leg {
  return {
    name: `${PEER}.${user}`,
    type: 'http',
    segments: [],
    intervalMs: 10_000,
    timeoutMs: 5_000,
    user,
    probe: PEER,
  };
}

/** The runbook's three legs here, the devvm probe's legs for alice and bob, carol known without a leg. */
const TOPOLOGY: Topology = {
  segments: DEFAULT_TOPOLOGY.segments,
  legs: [...DEFAULT_TOPOLOGY.legs, peerLeg('alice'), peerLeg('bob')],
  users: ['carol'],
};
const MAIN_LEGS = DEFAULT_TOPOLOGY.legs;
const PEER_LEGS = TOPOLOGY.legs.filter((l) => l.probe === PEER);

/** The same faults seen from both vantages; `peerFreezes` freeze the peer probe alone. */
function bothProbes(faults: Fault[], peerFreezes: Array<{ from: number; to: number }> = []): ProbeEvent[] {
  const to = at(300);
  const main = simulate({ topology: { ...TOPOLOGY, legs: MAIN_LEGS }, faults, from: T0, to });
  const peer = simulate({
    topology: { ...TOPOLOGY, legs: PEER_LEGS },
    faults,
    from: T0,
    to,
    probeFreezes: peerFreezes,
  });
  // The peer's own coverage and stalls are about the peer (as the main probe records them when it pulls).
  const tagged = peer.map((e): ProbeEvent => ('leg' in e ? e : { ...e, probe: PEER }));
  return [...main, ...tagged];
}

function verdicts(events: ProbeEvent[]): Record<string, Verdict> {
  const to = at(300);
  const v = (user?: string): Verdict => attributeWindow({ topology: TOPOLOGY, events, from: T0, to, now: to, user });
  return { '': v(), alice: v('alice'), bob: v('bob'), carol: v('carol') };
}

describe('the topology with a peer probe', () => {
  it("a peer's leg traverses its user's instance and the peer's own host, not this probe's", () => {
    const t = normalizeTopology(TOPOLOGY);
    expect(t.legs.find((l) => l.name === 'devvm.alice')?.segments).toEqual(['serve.alice', 'probe.devvm']);
    expect(t.legs.find((l) => l.name === 't3serve')?.segments).toEqual(['devvm-net', 'serve', 'probe']);
    expect(t.segments.at(-1)).toEqual({ id: 'probe.devvm', name: "devvm probe's own host" });
    expect(peerSegmentId(PEER)).toBe('probe.devvm');
  });

  it('refuses a segment id that would pass for a peer host, and a peer name that is not a segment id', () => {
    const problem = (t: unknown): string => {
      try {
        validateTopology(t);
        return '';
      } catch (err) {
        return err instanceof TopologyError ? err.message : String(err);
      }
    };
    expect(problem({ ...TOPOLOGY, segments: [...TOPOLOGY.segments, { id: 'probe.x', name: 'x' }] })).toBe(
      `segments[${TOPOLOGY.segments.length}].id: "probe.x" is reserved for a peer probe's host`
    );
    const bad = { ...TOPOLOGY, legs: [...MAIN_LEGS, { ...peerLeg('alice'), probe: 'has space' }] };
    expect(problem(bad)).toMatch(/^legs\[3\]\.probe: "has space" is not a valid peer name/);
    expect(problem(TOPOLOGY)).toBe('');
  });
});

describe("seen from the devvm probe: one user's instance stalls inside its cgroup", () => {
  const v = verdicts(bothProbes([stall('serve.alice', 60, 90)]));

  it('that user: an incident on their own instance alone', () => {
    expect(v.alice?.verdict).toBe('incident');
    expect(v.alice?.suspects).toEqual(['serve.alice']);
    expect(v.alice?.incidents[0]?.legs).toEqual(['devvm.alice']);
  });

  it('the other monitored user: exonerated with data, only the client suspected', () => {
    expect(v.bob?.verdict).toBe('exonerated');
    expect(v.bob?.suspects).toEqual(['client']);
  });

  it('the user without a leg: exonerated of shared infra, their own unwatched instance said', () => {
    expect(v.carol?.verdict).toBe('exonerated');
    expect(v.carol?.suspects).toEqual(['client', 'serve.carol']);
  });
});

describe('the devvm probe freezes (SIGSTOP) while every path is healthy', () => {
  const events = bothProbes([], [{ from: at(60), to: at(90) }]);

  it("blames nothing but the peer's own host", () => {
    const incidents = buildIncidents(events, TOPOLOGY, { now: at(300) });
    expect(incidents.flatMap((i) => i.suspects).filter((s) => s !== 'probe.devvm')).toEqual([]);
    // The freeze itself is seen: the peer's legs have no data over it, said as the peer's stall.
    expect(verdicts(events).alice?.legs.find((l) => l.leg === 'devvm.alice')?.why).toEqual({
      code: 'probe_stalled',
      stallMs: 30_000,
      probe: PEER,
    });
  });

  it("blames only the peer's host when its legs' watchdogs fire late as it resumes", () => {
    const late: ProbeEvent[] = PEER_LEGS.flatMap((l): ProbeEvent[] => [
      { type: 'disconnect', time: at(90), leg: l.name, reason: 'heartbeat_timeout', lastHeard: at(60) },
      { type: 'reconnect', time: at(91), leg: l.name },
    ]);
    const incidents = buildIncidents([...events, ...late], TOPOLOGY, { now: at(300) });
    expect(incidents.map((i) => [i.legs, i.suspects])).toEqual([[['devvm.alice', 'devvm.bob'], ['probe.devvm']]]);
    expect(verdicts([...events, ...late]).alice?.verdict).toBe('unknown');
  });

  it('gives unknown for the users it covers, and leaves the others as they were', () => {
    const v = verdicts(events);
    expect(v.alice?.verdict).toBe('unknown');
    expect(v.alice?.headline).toBe(
      'Unknown: the devvm probe stalled for 30s in the window (its legs watched nothing meanwhile), so infra cannot be cleared.'
    );
    expect(v.bob?.verdict).toBe('unknown');
    expect(v.alice?.suspects).not.toContain('serve.alice');
    expect(v.alice?.hints.map((h) => h.kind)).toContain('probe_stall');
    expect(v.carol?.verdict).toBe('exonerated');
    expect(v.carol?.suspects).toEqual(['client', 'serve.carol']);
  });

  it("this probe's own legs are not blinded by the peer's freeze", () => {
    const v = verdicts(events);
    const summary = v['']?.legs.find((l) => l.leg === 't3serve');
    expect(summary?.hasData).toBe(true);
  });
});

describe("each probe's runs are its own", () => {
  it("a peer's restart does not end this probe's outage, and this probe's restart does not end the peer's", () => {
    const events: ProbeEvent[] = [
      { type: 'probe_start', time: at(0), legs: MAIN_LEGS.map((l) => l.name) },
      { type: 'probe_start', time: at(0), legs: PEER_LEGS.map((l) => l.name), probe: PEER },
      { type: 'disconnect', time: at(10), leg: 't3serve', reason: 'refused' },
      { type: 'disconnect', time: at(10), leg: 'devvm.alice', reason: 'refused' },
      { type: 'probe_start', time: at(20), legs: PEER_LEGS.map((l) => l.name), probe: PEER },
    ];
    const { outages } = readTimeline(events, peerOfLeg(normalizeTopology(TOPOLOGY)));
    expect(outages.find((o) => o.leg === 't3serve')?.end).toBeNull();
    expect(outages.find((o) => o.leg === 'devvm.alice')?.end).toBe(at(10));
  });

  it("while the peer is not heard from (its run stopped), its users' verdicts say unknown", () => {
    const events: ProbeEvent[] = [...bothProbes([]), { type: 'probe_stop', time: at(100), probe: PEER }];
    const v = verdicts(events);
    expect(v.alice?.verdict).toBe('unknown');
    expect(v.carol?.verdict).toBe('exonerated');
  });
});

describe('the box freezes: devvm and the peer probe on it stop together', () => {
  const to = at(300);
  const freeze = { from: at(60), to: at(90) };
  const main = simulate({ topology: { ...TOPOLOGY, legs: MAIN_LEGS }, faults: [stall('serve', 60, 90)], from: T0, to });
  const peer = simulate({
    topology: { ...TOPOLOGY, legs: PEER_LEGS },
    faults: [],
    from: T0,
    to,
    probeFreezes: [freeze],
  });
  const events = [...main, ...peer.map((e): ProbeEvent => ('leg' in e ? e : { ...e, probe: PEER }))];

  it("never blames a user's own instance", () => {
    const incidents = buildIncidents(events, TOPOLOGY, { now: to });
    expect(incidents.length).toBeGreaterThan(0);
    const suspects = incidents.flatMap((i) => i.suspects);
    expect(suspects).toContain('serve');
    expect(suspects.filter((s) => s.startsWith('serve.'))).toEqual([]);
  });

  it("a monitored user's report is an incident on the shared host, not on their instance", () => {
    const v = verdicts(events);
    expect(v.alice?.verdict).toBe('incident');
    expect(v.alice?.suspects).toContain('serve');
    expect(v.alice?.suspects).not.toContain('serve.alice');
  });
});

describe("a peer's legs are judged by the peer's own runs and stalls", () => {
  it("while the peer is stopped its healthy-looking legs clear nothing, even where this probe's run lists no legs", () => {
    const events: ProbeEvent[] = [
      // This probe's run seen only by its signs of life (legs omitted: every leg of this probe).
      { type: 'probe_alive', time: at(0) },
      { type: 'probe_start', time: at(0), legs: PEER_LEGS.map((l) => l.name), probe: PEER },
      { type: 'probe_stop', time: at(50), probe: PEER },
      { type: 'disconnect', time: at(100), leg: 't3serve', reason: 'refused' },
      { type: 'reconnect', time: at(130), leg: 't3serve' },
    ];
    const [incident] = buildIncidents(events, TOPOLOGY, { now: at(300) });
    expect(incident?.evidence.find((e) => e.leg === 'devvm.alice')?.role).toBe('nodata');
  });

  it("round trips slowed while the peer was frozen blame the peer's host, not the user's instance", () => {
    const events: ProbeEvent[] = [
      { type: 'probe_start', time: at(0), legs: MAIN_LEGS.map((l) => l.name) },
      { type: 'probe_start', time: at(0), legs: PEER_LEGS.map((l) => l.name), probe: PEER },
      { type: 'heartbeat', time: at(60), leg: 'devvm.alice', rttMs: 3_000 },
      { type: 'probe_stall', time: at(63), durationMs: 3_000, probe: PEER },
    ];
    const incidents = buildIncidents(events, TOPOLOGY, { now: at(300) });
    expect(incidents.map((i) => [i.legs, i.suspects])).toEqual([[['devvm.alice'], ['probe.devvm']]]);
  });
});
