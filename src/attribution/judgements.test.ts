/**
 * Judgements are data: each leg's evidence and window summary carry a structured `why`, and the sentence
 * people read (`note`) is said from it in one place (wording.ts).
 */
import { describe, expect, it } from 'vitest';
import { verdictFromAggregates } from './aggregate';
import { evidence } from './testing/aggregates';
import { at, cut, play, stall } from './testing/scenario';
import { DEFAULT_TOPOLOGY } from './topology';
import type { Verdict } from './types';
import { evidenceNote, legSummaryNote } from './wording';

const whyOf = (v: Verdict, leg: string) => v.incidents[0]?.evidence.find((e) => e.leg === leg)?.why;

describe('judgements as data', () => {
  it('a tunnel cut: cloudflare dropped, internal held its connection through the break', () => {
    const { verdict } = play([cut('tunnel', 60, 75)]);
    expect(whyOf(verdict, 'cloudflare')).toEqual({ code: 'dropped' });
    expect(whyOf(verdict, 'internal')).toEqual({ code: 'connection_held_through_break' });
    expect(verdict.legs.find((l) => l.leg === 'cloudflare')?.why).toEqual({ code: 'drops', count: 1 });
  });

  it('a 6 s serve stall: the websocket legs are blind, with the numbers their sentence quotes', () => {
    const { verdict } = play([stall('serve', 70.5, 76.5)]);
    expect(whyOf(verdict, 'internal')).toEqual({ code: 'stall_under_watchdog', minFaultMs: 5_000, neededMs: 20_000 });
  });

  it('a long dispatch stall: the http leg stayed up through it, longer than it needs to notice one', () => {
    const { verdict } = play([stall('dispatch', 60, 110)]);
    expect(whyOf(verdict, 't3serve')).toMatchObject({ code: 'stayed_up_through_stall', neededMs: 15_000 });
  });

  it('a probe frozen: the legs have no data because of it, and the summary says for how long', () => {
    const { verdict } = play([], { probeFreezes: [{ from: at(60), to: at(95) }] });
    expect(whyOf(verdict, 't3serve')).toEqual({ code: 'probe_stalled' });
    const leg = verdict.legs.find((l) => l.leg === 'cloudflare');
    expect(leg?.why).toEqual({ code: 'probe_stalled', stallMs: 35_000 });
    expect(leg?.noDataCause).toBe('probe_stall');
  });

  it('from Prometheus: a failing leg is judged by its range summary, missing series are named', () => {
    const v = verdictFromAggregates(
      DEFAULT_TOPOLOGY,
      evidence({ cloudflare: { drops: { reset: 2 } }, t3serve: { drops: null } })
    );
    expect(whyOf(v, 'cloudflare')).toEqual({ code: 'range_summary', summary: { code: 'drops', count: 2 } });
    expect(v.legs.find((l) => l.leg === 't3serve')?.why).toEqual({ code: 'missing', missing: ['disconnect_counter'] });
  });

  it('every note is its why in words', () => {
    const verdicts = [
      play([cut('tunnel', 60, 75), stall('serve', 150, 156)]).verdict,
      play([stall('dispatch', 60, 110)]).verdict,
      play([], { probeFreezes: [{ from: at(60), to: at(95) }] }).verdict,
      verdictFromAggregates(DEFAULT_TOPOLOGY, evidence({ internal: { drops: { auth_failed: 1 } } })),
    ];
    for (const v of verdicts) {
      for (const e of v.incidents.flatMap((i) => i.evidence)) {
        expect(e.note).toBe(evidenceNote(e));
      }
      for (const l of v.legs) {
        expect(l.note).toBe(legSummaryNote(l.why));
      }
    }
  });
});
