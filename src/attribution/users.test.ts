/**
 * Verdicts per user (issue 12): every user has their own `t3 serve` instance (`serve.<user>`), so a drop
 * one user reports is about their instance and the shared path. Placed on the physical model: faults on
 * segments, the legs' events from it, the engine's deduction from those alone.
 */
import { describe, expect, it } from 'vitest';
import { verdictFromAggregates, type AggregateEvidence, type LegAggregate } from './aggregate';
import { ATTRIBUTION_TABLE, runbookRow } from './runbook';
import { DEFAULT_TOPOLOGY, normalizeTopology } from './topology';
import { attributeWindow } from './window';
import { at, cut, stall, stateOf, T0 } from './testing/scenario';
import { simulate, withUsers, type Fault } from './testing/simulate';
import type { Verdict } from './types';

/** The lab's three users: alice and bob each with a leg on their own instance, carol without one. */
const TOPOLOGY = withUsers(DEFAULT_TOPOLOGY, ['alice', 'bob'], ['carol']);
const SERVE_ROW = ATTRIBUTION_TABLE.indexOf(runbookRow('serve'));

/** The verdict of every user's report (and the one for all users, key ''), over one run of the model. */
function reports(faults: Fault[], opts: { without?: string[] } = {}): Record<string, Verdict> {
  const to = at(300);
  const events = simulate({ topology: TOPOLOGY, faults, from: T0, to, ...opts });
  const verdict = (user?: string): Verdict =>
    attributeWindow({ topology: TOPOLOGY, events, from: T0, to, now: to, user });
  return { '': verdict(), alice: verdict('alice'), bob: verdict('bob'), carol: verdict('carol') };
}

const ids = (v: Verdict): string[] => v.segments.map((s) => s.id);

describe("one user's serve instance stalls inside its cgroup", () => {
  const v = reports([stall('serve.alice', 60, 90)]);

  it("that user: an incident on their own instance alone, the shared legs having cleared devvm's network and host", () => {
    const alice = v.alice!;
    expect(alice.verdict).toBe('incident');
    expect(alice.user).toBe('alice');
    expect(alice.suspects).toEqual(['serve.alice']);
    expect(alice.incidents).toHaveLength(1);
    expect(alice.incidents[0]?.legs).toEqual(['serve-alice']);
    expect(alice.incidents[0]?.evidence.find((e) => e.leg === 't3serve')?.role).toBe('clear');
    expect(stateOf(alice, 'serve.alice')).toBe('suspect');
    expect(stateOf(alice, 'serve')).toBe('clear');
    expect(alice.runbookRow).toBe(SERVE_ROW);
    expect(alice.headline).toBe(
      "Infra incident: that user's `t3 serve` stalled (their cgroup): alice's t3 serve instance (serve.alice)."
    );
  });

  it("that user's verdict leaves other users' instances and legs out", () => {
    const alice = v.alice!;
    // The runbook's segments, with alice's own instance after serve and before probe, and no other user's.
    const runbook = DEFAULT_TOPOLOGY.segments.map((s) => s.id);
    expect(runbook.at(-2)).toBe('serve');
    expect(ids(alice)).toEqual([...runbook.slice(0, -1), 'serve.alice', 'probe']);
    expect(alice.legs.map((l) => l.leg)).toEqual(['cloudflare', 'internal', 't3serve', 'serve-alice']);
    expect(alice.incidents[0]?.evidence.map((e) => e.leg)).not.toContain('serve-bob');
  });

  it('another monitored user: exonerated with data, their own instance included, the client alone suspected', () => {
    const bob = v.bob!;
    expect(bob.verdict).toBe('exonerated');
    expect(bob.suspects).toEqual(['client']);
    expect(bob.incidents).toEqual([]);
    expect(stateOf(bob, 'serve.bob')).toBe('clear');
    expect(ids(bob)).not.toContain('serve.alice');
    expect(bob.runbookRow).toBe(ATTRIBUTION_TABLE.indexOf(runbookRow('client')));
    expect(bob.headline).toBe(
      "Infra clean for bob: all 4 legs, bob's own serve instance included, stayed up with data for the whole window. The drop was on the user's side: User device / last mile (client)."
    );
  });

  it('a user without a leg: exonerated of shared infra only, their unwatched instance a suspect beside the client', () => {
    const carol = v.carol!;
    expect(carol.verdict).toBe('exonerated');
    expect(carol.suspects).toEqual(['client', 'serve.carol']);
    expect(stateOf(carol, 'serve.carol')).toBe('unmonitored');
    expect(carol.legs.map((l) => l.leg)).toEqual(['cloudflare', 'internal', 't3serve']);
    expect(carol.runbookRow).toBeNull();
    expect(carol.headline).toBe(
      "Shared infra clean: all 3 legs stayed up with data for the whole window, but carol's own serve instance (serve.carol) was not watched: no leg checks it, so it is not cleared. The drop was on the user's side or in that instance: User device / last mile (client), carol's t3 serve instance (serve.carol)."
    );
  });

  it('the verdict for all users blames the instance too, and the incident says so in the runbook row', () => {
    const all = v['']!;
    expect(all.user).toBeUndefined();
    expect(all.suspects).toEqual(['serve.alice']);
    expect(all.incidents[0]?.summary).toContain("that user's `t3 serve` stalled (their cgroup)");
    expect(ids(all)).toEqual(expect.arrayContaining(['serve.alice', 'serve.bob', 'serve.carol']));
  });
});

describe('a shared fault is every user’s', () => {
  it('devvm freezing (every instance stalls with the host) → an incident for every user, monitored or not', () => {
    const v = reports([stall('serve', 60, 90)]);
    for (const user of ['alice', 'bob', 'carol']) {
      const verdict = v[user]!;
      expect(verdict.verdict, user).toBe('incident');
      expect(verdict.suspects, user).toEqual(['devvm-net', 'serve']);
      expect(verdict.suspects.some((s) => s.startsWith('serve.'))).toBe(false);
    }
    expect(v.alice?.incidents[0]?.legs.sort()).toEqual(['cloudflare', 'internal', 'serve-alice', 't3serve']);
    expect(v.carol?.incidents[0]?.legs.sort()).toEqual(['cloudflare', 'internal', 't3serve']);
  });

  it('a dispatch cut (the instances answer the devvm-side legs) → an incident for every user, on the shared path', () => {
    const v = reports([cut('dispatch', 60, 80)]);
    for (const user of ['alice', 'bob', 'carol']) {
      expect(v[user]?.verdict, user).toBe('incident');
      expect(v[user]?.suspects, user).toEqual(['traefik', 'dispatch']);
      expect(v[user]?.runbookRow, user).toBe(ATTRIBUTION_TABLE.indexOf(runbookRow('shared')));
    }
  });
});

describe('incidents that touch only other users are not this user’s', () => {
  it("two users' instances stalling at once: each user sees their own, the third is exonerated", () => {
    const v = reports([stall('serve.alice', 60, 90), stall('serve.bob', 60, 90)]);
    expect(v.alice?.suspects).toEqual(['serve.alice']);
    expect(v.bob?.suspects).toEqual(['serve.bob']);
    expect(v.carol?.verdict).toBe('exonerated');
    expect(v.carol?.suspects).toEqual(['client', 'serve.carol']);
    expect(v['']?.suspects).toEqual(['serve.alice', 'serve.bob']);
  });

  it("another user's leg without data leaves this user's verdict alone; their own makes it unknown", () => {
    const v = reports([], { without: ['serve-bob'] });
    expect(v.alice?.verdict).toBe('exonerated');
    expect(v.carol?.verdict).toBe('exonerated');
    expect(v.bob?.verdict).toBe('unknown');
    expect(v.bob?.headline).toContain('serve-bob');
    expect(v['']?.verdict).toBe('unknown');
  });

  it("a user's instance refusing connections: their incident says serve was down, the others' verdicts do not", () => {
    const v = reports([cut('serve.alice', 60, 80)]);
    expect(v.alice?.suspects).toEqual(['serve.alice']);
    expect(v.alice?.incidents[0]?.reasons).toEqual(['refused']);
    expect(v.alice?.hints.map((h) => h.kind)).toContain('known_serve_down');
    expect(v.bob?.hints).toEqual([]);
  });

  it("another user's leg failing where no leg clears the shared path: a possible shared fault, theirs unnamed", () => {
    const v = reports([stall('serve.bob', 60, 90)], { without: ['cloudflare', 'internal', 't3serve', 'serve-alice'] });
    expect(v.bob?.suspects).toEqual(['devvm-net', 'serve', 'serve.bob']);
    const alice = v.alice!;
    expect(alice.verdict).toBe('incident');
    expect(alice.suspects).toEqual(['devvm-net', 'serve']);
    expect(alice.incidents[0]?.legs).toEqual([]);
    expect(alice.incidents[0]?.summary).toMatch(/^another user's leg dropped \(heartbeat_timeout\) → /);
    expect(alice.incidents[0]?.summary).not.toContain('bob');
  });

  it('an unknown user is refused', () => {
    expect(() =>
      attributeWindow({ topology: TOPOLOGY, events: [], from: T0, to: at(60), now: at(60), user: 'dave' })
    ).toThrow(/unknown user "dave" \(known: carol, alice, bob\)/);
  });

  it('a view with no leg at all is unknown, never exonerated', () => {
    const onlyUsers = normalizeTopology({
      segments: [{ id: 'devvm', name: 'devvm' }],
      legs: [{ name: 'a', type: 'http', segments: [], intervalMs: 10_000, timeoutMs: 5_000, user: 'alice' }],
      users: ['carol'],
    });
    const events = simulate({ topology: onlyUsers, faults: [], from: T0, to: at(120) });
    const carol = attributeWindow({ topology: onlyUsers, events, from: T0, to: at(120), now: at(120), user: 'carol' });
    expect(carol.verdict).toBe('unknown');
    expect(carol.headline).toBe("Unknown: no leg watches carol's path, so infra cannot be cleared.");
    const alice = attributeWindow({ topology: onlyUsers, events, from: T0, to: at(120), now: at(120), user: 'alice' });
    expect(alice.verdict).toBe('exonerated');
  });
});

describe('per user from Prometheus aggregates', () => {
  const clean: LegAggregate = { drops: {}, connectedNow: true, connectedMin: 1, rttP99Ms: 5, slowSamples: 0 };
  const evidence = (over: Partial<Record<string, LegAggregate>>, bySuspect: Record<string, number> | null) =>
    ({
      from: T0,
      to: at(600),
      probeUp: true,
      legs: { cloudflare: clean, internal: clean, t3serve: clean, 'serve-alice': clean, 'serve-bob': clean, ...over },
      incidentsBySuspect: bySuspect,
      pressure: {},
    }) satisfies AggregateEvidence;

  it("the probe's own count on one user's instance is that user's incident alone", () => {
    const e = evidence(
      { 'serve-alice': { ...clean, drops: { heartbeat_timeout: 1 }, connectedMin: 0 } },
      { 'serve.alice': 1 }
    );
    expect(verdictFromAggregates(TOPOLOGY, e, undefined, 'alice').suspects).toEqual(['serve.alice']);
    const bob = verdictFromAggregates(TOPOLOGY, e, undefined, 'bob');
    expect([bob.verdict, bob.suspects]).toEqual(['exonerated', ['client']]);
    const carol = verdictFromAggregates(TOPOLOGY, e, undefined, 'carol');
    expect([carol.verdict, carol.suspects]).toEqual(['exonerated', ['client', 'serve.carol']]);
  });

  it("without the probe's counts, a user's leg dropping alone is reasoned to their instance", () => {
    const e = evidence({ 'serve-alice': { ...clean, drops: { refused: 1 }, connectedMin: 0 } }, null);
    expect(verdictFromAggregates(TOPOLOGY, e, undefined, 'alice').suspects).toEqual(['serve.alice']);
    expect(verdictFromAggregates(TOPOLOGY, e, undefined, 'bob').verdict).toBe('exonerated');
  });
});
