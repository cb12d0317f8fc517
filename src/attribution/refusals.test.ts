/**
 * A server refusing the probe's own credentials or protocol version (auth_failed, version_mismatch) is the
 * probe's configuration: blamed on `probe` alone, never on a path segment, and the refused leg clears
 * nothing. From the probe's events and from Prometheus aggregates alike.
 */
import { describe, expect, it } from 'vitest';
import { verdictFromAggregates } from './aggregate';
import { evidence } from './testing/aggregates';
import { at, stateOf, T0 } from './testing/scenario';
import { DEFAULT_TOPOLOGY } from './topology';
import type { ProbeEvent, Reason } from './types';
import { attributeWindow } from './window';

const start: ProbeEvent = { type: 'probe_start', time: T0 };
const refusal = (leg: string, fromS: number, toS: number | null, reason: Reason = 'auth_failed'): ProbeEvent[] => [
  { type: 'disconnect', leg, time: at(fromS), lastHeard: at(fromS), reason },
  ...(toS === null ? [] : [{ type: 'reconnect' as const, leg, time: at(toS) }]),
];
const verdictOf = (events: ProbeEvent[], fromS = 0, toS = 300) =>
  attributeWindow({ topology: DEFAULT_TOPOLOGY, events, from: at(fromS), to: at(toS), now: at(300) });

describe('refusals of the probe itself, from its events', () => {
  it.each(['auth_failed', 'version_mismatch'] as const)(
    '%s on cloudflare: an incident of the probe alone, and its segments not cleared',
    (reason) => {
      const v = verdictOf([start, ...refusal('cloudflare', 60, null, reason)]);
      expect(v.verdict).toBe('incident');
      expect(v.suspects).toEqual(['probe']);
      expect(v.incidents).toHaveLength(1);
      expect(v.incidents[0]).toMatchObject({ kind: 'config', legs: ['cloudflare'], reasons: [reason], end: null });
      // Watched by the refused leg only: unknown, not clear; never suspect.
      for (const id of ['wan', 'cf-edge', 'tunnel']) {
        expect(stateOf(v, id)).toBe('unknown');
      }
      for (const id of ['traefik', 'dispatch', 'serve']) {
        expect(stateOf(v, id)).toBe('clear');
      }
      expect(v.runbookRow).toBeNull();
      expect(v.headline).toMatch(/^The probe's own configuration, not infra/);
      expect(v.headline).toContain('`cloudflare`');
      expect(v.headline).not.toMatch(/Infra incident|stalled/);
      expect(v.hints.map((h) => h.kind)).toContain('probe_config');
      expect(v.hints.map((h) => h.kind)).not.toContain('probe_stall');
      const leg = v.legs.find((l) => l.leg === 'cloudflare');
      expect(leg).toMatchObject({ hasData: false, noDataCause: 'probe_config' });
    }
  );

  it('the advice says what to do for each reason', () => {
    const token = verdictOf([start, ...refusal('cloudflare', 60, null, 'auth_failed')]);
    expect(token.headline).toContain('t3 auth session issue --token-only --ttl');
    const version = verdictOf([start, ...refusal('internal', 60, null, 'version_mismatch')]);
    expect(version.headline).toContain('orchestrationProtocol');
    expect(version.headline).not.toContain('t3 auth session');
  });

  it('two legs refused at once are still the probe, not the segments they share', () => {
    const v = verdictOf([start, ...refusal('cloudflare', 60, null), ...refusal('internal', 60, null)]);
    expect(v.suspects).toEqual(['probe']);
    expect(v.incidents.every((i) => i.kind === 'config')).toBe(true);
    expect(stateOf(v, 'traefik')).not.toBe('suspect');
    expect(stateOf(v, 'dispatch')).not.toBe('suspect');
  });

  it('legs refused at different moments while the refusals overlap are one incident; apart, two', () => {
    const one = verdictOf([start, ...refusal('cloudflare', 60, 130), ...refusal('internal', 75, 128)]);
    expect(one.incidents).toHaveLength(1);
    expect(one.incidents[0]?.legs).toEqual(['cloudflare', 'internal']);
    const two = verdictOf([start, ...refusal('cloudflare', 60, 70), ...refusal('internal', 75, 128)]);
    expect(two.incidents).toHaveLength(2);
    expect(two.suspects).toEqual(['probe']);
  });

  it('a refused leg never joins a path fault: the internal drop is blamed on its own, cloudflare stays no evidence', () => {
    const v = verdictOf([
      start,
      ...refusal('cloudflare', 60, null),
      { type: 'disconnect', leg: 'internal', time: at(100), lastHeard: at(98), reason: 'reset' },
      { type: 'reconnect', leg: 'internal', time: at(106) },
    ]);
    const path = v.incidents.filter((i) => i.kind !== 'config');
    expect(path).toHaveLength(1);
    expect(path[0]?.legs).toEqual(['internal']);
    expect(path[0]?.evidence.find((e) => e.leg === 'cloudflare')?.role).toBe('blind');
    expect(path[0]?.suspects).not.toContain('probe');
    expect(v.headline).toMatch(/^Infra incident/);
    expect(v.headline).toContain("Also the probe's own configuration");
  });

  it('a window wholly before or after a refusal is judged on the path as usual', () => {
    const events = [start, ...refusal('cloudflare', 60, 120)];
    expect(verdictOf(events, 150, 300).verdict).toBe('exonerated');
    expect(verdictOf(events, 0, 50).verdict).toBe('exonerated');
    expect(verdictOf(events, 50, 150).suspects).toEqual(['probe']);
  });
});

describe('refusals of the probe itself, from Prometheus aggregates', () => {
  const verdict = (e: ReturnType<typeof evidence>) => verdictFromAggregates(DEFAULT_TOPOLOGY, e);

  it('auth_failed drops on cloudflare: the probe, not Cloudflare', () => {
    const v = verdict(evidence({ cloudflare: { drops: { auth_failed: 1 }, connectedMin: 0, connectedNow: false } }));
    expect(v.verdict).toBe('incident');
    expect(v.suspects).toEqual(['probe']);
    expect(v.incidents.map((i) => i.kind)).toEqual(['config']);
    expect(stateOf(v, 'tunnel')).toBe('unknown');
    expect(v.headline).toMatch(/^The probe's own configuration, not infra/);
  });

  it('refused since before the range (the gauge, no drop counted): still the probe, not a stall of the path', () => {
    const v = verdict(evidence({ internal: { drops: {}, connectedMin: 0, connectedNow: false, misconfiguredMax: 1 } }));
    expect(v.suspects).toEqual(['probe']);
    expect(v.incidents).toHaveLength(1);
    expect(v.incidents[0]?.kind).toBe('config');
    // The gauge does not say which refusal: no reason is guessed, and the advice covers both.
    expect(v.incidents[0]?.reasons).toEqual([]);
    expect(v.incidents[0]?.summary).toMatch(/^internal refused by the server → /);
    expect(v.headline).toContain('credentials or protocol version');
    expect(v.headline).toContain('t3 auth session issue');
    expect(v.headline).toContain('orchestrationProtocol');
  });

  it("the probe's own count of the refusal's incident (suspect probe) is not taken for a probe stall", () => {
    const v = verdict({
      ...evidence({ cloudflare: { drops: { version_mismatch: 1 }, connectedMin: 0, connectedNow: false } }),
      incidentsBySuspect: { probe: 1 },
    });
    expect(v.incidents.map((i) => i.kind)).toEqual(['config']);
    expect(v.hints.map((h) => h.kind)).not.toContain('probe_stall');
  });

  it('a path fault on another leg in the same range is still blamed on its segments', () => {
    const v = verdict(
      evidence({
        cloudflare: { drops: { auth_failed: 1 }, connectedMin: 0 },
        t3serve: { drops: { heartbeat_timeout: 1 }, connectedMin: 0 },
      })
    );
    const path = v.incidents.find((i) => i.kind !== 'config');
    expect(path?.suspects).toEqual(['devvm-net', 'serve']);
    expect(v.suspects).toEqual(['devvm-net', 'serve', 'probe']);
  });
});
