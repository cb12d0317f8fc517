/** The runbook's table again, but from what Prometheus answers to the dashboard's queries. */
import { describe, expect, it } from 'vitest';
import { verdictFromAggregates } from './aggregate';
import { DEFAULT_TOPOLOGY } from './topology';
import { evidence } from './testing/aggregates';
import { stateOf } from './testing/scenario';

const verdictOf = (e: ReturnType<typeof evidence>) => verdictFromAggregates(DEFAULT_TOPOLOGY, e);

describe('verdicts from PromQL results', () => {
  it('`cloudflare` drops, `internal` clean → Cloudflare edge / QUIC tunnel / WAN', () => {
    const v = verdictOf(evidence({ cloudflare: { drops: { reset: 2.04 }, connectedMin: 0 } }));
    expect(v.verdict).toBe('incident');
    expect(v.suspects).toEqual(['wan', 'cf-edge', 'tunnel']);
    expect(v.runbookRow).toBe(0);
    expect(v.legs.find((l) => l.leg === 'cloudflare')?.drops).toEqual({ reset: 2 });
  });

  it('a cloudflare watchdog timeout is cleared by internal, whose watchdog is as quick and saw no slow round trips', () => {
    const v = verdictOf(evidence({ cloudflare: { drops: { heartbeat_timeout: 1 } } }));
    expect(v.suspects).toEqual(['wan', 'cf-edge', 'tunnel']);
  });

  it('both WS legs drop together → Traefik, dispatch, or devvm reachability', () => {
    const v = verdictOf(evidence({ cloudflare: { drops: { reset: 1 } }, internal: { drops: { reset: 1 } } }));
    // Without durations, t3serve's requests every 10 s could have fallen either side of a short break.
    expect(v.suspects).toEqual(['traefik', 'devvm-net', 'dispatch', 'serve']);
    expect(v.incidents[0]?.evidence.find((e) => e.leg === 't3serve')?.role).toBe('blind');
    expect(v.runbookRow).toBe(1);
  });

  it('`t3serve` timeouts: only the http leg, whose 15 s detection the 20 s watchdogs cannot match', () => {
    const v = verdictOf(evidence({ t3serve: { drops: { heartbeat_timeout: 1 } } }));
    expect(v.suspects).toEqual(['devvm-net', 'serve']);
    expect(v.runbookRow).toBe(2);
    expect(v.incidents[0]?.evidence.find((e) => e.leg === 'internal')?.role).toBe('blind');
  });

  it('`t3serve` RTT spikes without drops → serve stalled', () => {
    const v = verdictOf(evidence({ t3serve: { slowSamples: 3, rttP99Ms: 4_100 } }));
    expect(v.verdict).toBe('incident');
    expect(v.suspects).toEqual(['devvm-net', 'serve']);
  });

  it('all legs clean → exonerated with data', () => {
    const v = verdictOf(evidence());
    expect(v.verdict).toBe('exonerated');
    expect(v.suspects).toEqual(['client']);
    expect(v.runbookRow).toBe(3);
  });

  it('a missing series or a probe Prometheus could not scrape → unknown, never exonerated', () => {
    const noInternal = verdictOf(evidence({ internal: null }));
    expect(noInternal.verdict).toBe('unknown');
    expect(noInternal.legs.find((l) => l.leg === 'internal')?.note).toContain('no disconnect counter');
    const noConnected = verdictOf(evidence({ t3serve: { connectedMin: null } }));
    expect(noConnected.verdict).toBe('unknown');
    const notScraped = verdictOf(evidence({}, { probeUp: false }));
    expect(notScraped.verdict).toBe('unknown');
    expect(stateOf(notScraped, 'serve')).toBe('unknown');
  });

  it("the probe's own exact attributions win over the coarse reasoning", () => {
    const v = verdictOf(
      evidence(
        { cloudflare: { drops: { reset: 1 } }, internal: { drops: { reset: 1 } } },
        { incidentsBySuspect: { dispatch: 1, traefik: 0.2, unknownsegment: 4 } }
      )
    );
    expect(v.suspects).toEqual(['dispatch']);
  });

  it('probe stalls counted as drops blame the probe', () => {
    const v = verdictOf(
      evidence({
        cloudflare: { drops: { probe_stall: 1 } },
        internal: { drops: { probe_stall: 1 } },
        t3serve: { drops: { probe_stall: 1 } },
      })
    );
    expect(v.suspects).toEqual(['probe']);
  });

  it('NaN and Infinity are not drops', () => {
    const v = verdictOf(evidence({ cloudflare: { drops: { reset: Number.NaN, dns: Number.POSITIVE_INFINITY } } }));
    expect(v.verdict).toBe('exonerated');
  });

  it('devvm pressure is hinted when serve is suspected', () => {
    const v = verdictOf(evidence({ t3serve: { drops: { heartbeat_timeout: 2 } } }, { pressure: { memoryFull: 0.25 } }));
    expect(v.hints.map((h) => h.kind)).toContain('devvm_pressure');
  });
});
