/**
 * The finer legs (issue 13) on the physical model: besides the runbook's three, an `edge` http leg answered
 * by the Cloudflare edge itself (wan, cf-edge), and tcp legs to Traefik's entrypoint (traefik) and to a
 * devvm port (devvm-net). Legs that share less split the runbook's coarse rows: every fault is pinned to
 * its own segment, except wan and cf-edge, which no leg tells apart.
 */
import { describe, expect, it } from 'vitest';
import { cut, play, stall } from './testing/scenario';
import { DEFAULT_TOPOLOGY } from './topology';
import type { Leg, Topology } from './types';

const CHECK = { intervalMs: 10_000, timeoutMs: 5_000 };
const FINER_LEGS: Leg[] = [
  { name: 'edge', type: 'http', segments: ['wan', 'cf-edge'], ...CHECK },
  { name: 'traefik', type: 'tcp', segments: ['traefik'], ...CHECK },
  { name: 'devvm-net', type: 'tcp', segments: ['devvm-net'], ...CHECK },
];
const FINER: Topology = { ...DEFAULT_TOPOLOGY, legs: [...DEFAULT_TOPOLOGY.legs, ...FINER_LEGS] };

/** Each segment a fault can be on, with what the runbook's three legs name and what the finer legs name. */
const CASES: Array<{ segment: string; runbook: string[]; finer: string[] }> = [
  { segment: 'wan', runbook: ['wan', 'cf-edge', 'tunnel'], finer: ['wan', 'cf-edge'] },
  { segment: 'cf-edge', runbook: ['wan', 'cf-edge', 'tunnel'], finer: ['wan', 'cf-edge'] },
  { segment: 'tunnel', runbook: ['wan', 'cf-edge', 'tunnel'], finer: ['tunnel'] },
  { segment: 'traefik', runbook: ['traefik', 'dispatch'], finer: ['traefik'] },
  { segment: 'dispatch', runbook: ['traefik', 'dispatch'], finer: ['dispatch'] },
  { segment: 'devvm-net', runbook: ['devvm-net', 'serve'], finer: ['devvm-net'] },
  { segment: 'serve', runbook: ['devvm-net', 'serve'], finer: ['serve'] },
];

describe('finer legs name one segment where the legs allow', () => {
  describe.each([
    ['a black hole (stall)', stall],
    ['a cut (break)', cut],
  ])('%s', (_kind, fault) => {
    // Longer than every watchdog and check (websocket 20 s; http and tcp 10 s + 5 s), at several offsets
    // against the legs' checks.
    it.each(CASES.flatMap((c) => [40, 43.5, 47.2].map((from) => [c.segment, from, c] as const)))(
      'on %s from %ss for 60 s',
      (_segment, from, c) => {
        const runbook = play([fault(c.segment, from, from + 60)]).verdict;
        const finer = play([fault(c.segment, from, from + 60)], { topology: FINER }).verdict;
        // The runbook's legs alone name the coarse row; the finer legs narrow it, within the same row.
        expect(runbook.suspects).toEqual(c.runbook);
        expect(finer.verdict).toBe('incident');
        expect(finer.suspects).toEqual(c.finer);
        expect(finer.runbookRow).toBe(runbook.runbookRow);
      }
    );
  });

  it('a fault too short for a check to land in still blames its own segment, never a segment a finer leg cleared', () => {
    // 12 s: every tcp/http check is certain to notice a cut this long (10 s interval), a held websocket at once.
    for (const c of CASES) {
      const { verdict } = play([cut(c.segment, 40, 52)], { topology: FINER });
      expect(verdict.suspects).toContain(c.segment);
      expect(verdict.suspects.every((s) => c.runbook.includes(s))).toBe(true);
    }
  });

  it("names the tunnel's known causes only while the tunnel is a suspect", () => {
    const kinds = (v: { hints: Array<{ kind: string }> }) => v.hints.map((h) => h.kind);
    // A cut tunnel: cloudflared's restart, as with the runbook's legs.
    expect(kinds(play([cut('tunnel', 40, 100)], { topology: FINER }).verdict)).toContain('known_cloudflared_restart');
    // A black hole at the edge took the edge leg down too: the tunnel is cleared, so no tunnel cause matches.
    for (const fault of [stall('cf-edge', 40, 100), cut('wan', 40, 100)]) {
      const finer = kinds(play([fault], { topology: FINER }).verdict);
      expect(finer).not.toContain('known_quic_churn');
      expect(finer).not.toContain('known_cloudflared_restart');
      // The runbook's legs alone cannot clear the tunnel: a tunnel cause stays possible.
      expect(
        kinds(play([fault]).verdict).some((k) => k === 'known_quic_churn' || k === 'known_cloudflared_restart')
      ).toBe(true);
    }
  });

  it('a finer leg without data clears nothing: the verdict falls back to what the other legs can tell', () => {
    // Without the edge leg, a tunnel fault is the runbook's Cloudflare row again.
    const { verdict } = play([cut('tunnel', 40, 100)], { topology: FINER, without: ['edge'] });
    expect(verdict.suspects).toEqual(['wan', 'cf-edge', 'tunnel']);
    const noTraefik = play([stall('dispatch', 40, 100)], { topology: FINER, without: ['traefik'] }).verdict;
    expect(noTraefik.suspects).toEqual(['traefik', 'dispatch']);
  });
});
