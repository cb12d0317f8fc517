import { describe, expect, it } from 'vitest';
import { DEFAULT_TOPOLOGY } from '../attribution';
import { emptyAnswer, promInstant, promSeries, promTable } from '../test/frames';
import { FROM, panelFrames, TO, without } from '../test/fixtures';
import { evidenceFromFrames } from './frames';

const map = (frames: Parameters<typeof evidenceFromFrames>[0]) =>
  evidenceFromFrames(frames, DEFAULT_TOPOLOGY, { from: FROM, to: TO });

describe('evidenceFromFrames: a complete answer', () => {
  const r = map(
    panelFrames(
      {
        cloudflare: {
          drops: { heartbeat_timeout: 2.04, reset: 0.93 },
          connected: [1, 0, 1],
          rttSeconds: 0.12,
          slow: 1.2,
        },
        t3serve: { connected: [1, 1, 0] },
      },
      { psiIo: 0.31, psiMemory: 0.05, incidents: { tunnel: 1.1, serve: 0 } }
    )
  );

  it('has nothing missing and nothing odd', () => {
    expect(r.missing).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  it('maps drops per leg and reason as Prometheus extrapolated them', () => {
    expect(r.evidence.legs.cloudflare?.drops).toEqual({ heartbeat_timeout: 2.04, reset: 0.93 });
    expect(r.evidence.legs.internal?.drops).toEqual({ heartbeat_timeout: 0, reset: 0 });
  });

  it('takes "connected now" from the last sample and the minimum over the range', () => {
    expect(r.evidence.legs.cloudflare).toMatchObject({ connectedNow: true, connectedMin: 0 });
    expect(r.evidence.legs.internal).toMatchObject({ connectedNow: true, connectedMin: 1 });
    expect(r.evidence.legs.t3serve).toMatchObject({ connectedNow: false, connectedMin: 0 });
  });

  it('converts the RTT p99 from seconds to milliseconds and counts slow round trips', () => {
    expect(r.evidence.legs.cloudflare?.rttP99Ms).toBeCloseTo(120);
    expect(r.evidence.legs.cloudflare?.slowSamples).toBe(1.2);
    expect(r.evidence.legs.internal?.slowSamples).toBe(0);
  });

  it('maps incidents per suspect, devvm pressure, probe up and the range', () => {
    expect(r.evidence.incidentsBySuspect).toEqual({ tunnel: 1.1, serve: 0 });
    expect(r.evidence.pressure).toEqual({ ioFull: 0.31, memoryFull: 0.05 });
    expect(r.evidence.probeUp).toBe(true);
    expect([r.evidence.from, r.evidence.to]).toEqual([FROM, TO]);
  });
});

describe('evidenceFromFrames: missing data stays null and is named', () => {
  it('names a query that is not in the panel at all', () => {
    const r = map(without(panelFrames(), 'drops'));
    expect(r.missing).toEqual([
      {
        refId: 'drops',
        text: 'no query "drops" in the panel (Disconnects per leg and reason over the range (runbook §1).)',
      },
    ]);
    for (const leg of ['cloudflare', 'internal', 't3serve']) {
      expect(r.evidence.legs[leg]?.drops).toBeNull();
    }
  });

  it('names the leg whose series is absent, leaving the other legs mapped', () => {
    const r = map(without(panelFrames(), 'connected', 'internal'));
    expect(r.missing).toEqual([
      { refId: 'connected', leg: 'internal', text: 'no connected state for leg "internal" ("connected")' },
    ]);
    expect(r.evidence.legs.internal).toMatchObject({ connectedNow: null, connectedMin: null });
    expect(r.evidence.legs.cloudflare?.connectedNow).toBe(true);
  });

  it('treats an empty answer as no series for every leg', () => {
    const r = map([...without(panelFrames(), 'slow'), emptyAnswer('slow')]);
    expect(r.missing.map((m) => [m.refId, m.leg])).toEqual([
      ['slow', 'cloudflare'],
      ['slow', 'internal'],
      ['slow', 't3serve'],
    ]);
    expect(r.evidence.legs.t3serve?.slowSamples).toBeNull();
  });

  it('keeps incidents, pressure and probe_up unknown when they are absent', () => {
    const frames = ['incidents', 'psi_io', 'psi_memory', 'probe_up'].reduce((f, id) => without(f, id), panelFrames());
    const r = map([...frames, emptyAnswer('incidents'), emptyAnswer('probe_up')]);
    expect(r.evidence.incidentsBySuspect).toBeNull();
    expect(r.evidence.pressure).toEqual({ ioFull: null, memoryFull: null });
    expect(r.evidence.probeUp).toBeNull();
    expect(r.missing.map((m) => m.refId)).toEqual(['incidents', 'psi_io', 'psi_memory', 'probe_up']);
    expect(r.missing[0]?.text).toMatch(/incident counter returned no series/);
    expect(r.missing[3]?.text).toMatch(/no scrape of the probe/);
  });

  it('reports a probe that was down for part of the range', () => {
    const r = map(panelFrames({}, { probeUp: 0 }));
    expect(r.evidence.probeUp).toBe(false);
    expect(r.missing).toEqual([
      { refId: 'probe_up', text: 'Prometheus could not scrape the probe for part of the range ("probe_up" = 0)' },
    ]);
  });

  it('reads an empty frame list as every query missing', () => {
    const r = map([]);
    expect(new Set(r.missing.map((m) => m.refId))).toEqual(
      new Set(['drops', 'connected', 'rtt', 'slow', 'misconfigured', 'incidents', 'psi_io', 'psi_memory', 'probe_up'])
    );
    expect(r.evidence.probeUp).toBeNull();
  });
});

describe('evidenceFromFrames: garbage values', () => {
  it('NaN p99 (no round trips) is no data for that leg, named', () => {
    const frames = [...without(panelFrames(), 'rtt', 'internal'), promInstant('rtt', { leg: 'internal' }, NaN, TO)];
    const r = map(frames);
    expect(r.evidence.legs.internal?.rttP99Ms).toBeNull();
    expect(r.missing).toEqual([
      { refId: 'rtt', leg: 'internal', text: 'no round trips measured for leg "internal" in the range ("rtt" is NaN)' },
    ]);
  });

  it('+Inf p99 (above the top bucket) is kept as a stall sign', () => {
    const frames = [...without(panelFrames(), 'rtt', 't3serve'), promInstant('rtt', { leg: 't3serve' }, Infinity, TO)];
    expect(map(frames).evidence.legs.t3serve?.rttP99Ms).toBe(Infinity);
  });

  it('non-finite counts and negative PSI are dropped with a warning, never counted', () => {
    const frames = [
      ...without(without(panelFrames(), 'drops', 'internal'), 'psi_io'),
      promInstant('drops', { leg: 'internal', reason: 'reset' }, Infinity, TO),
      promInstant('drops', { leg: 'internal', reason: 'refused' }, 3, TO),
      promInstant('psi_io', { instance: 'devvm' }, -1, TO),
    ];
    const r = map(frames);
    expect(r.evidence.legs.internal?.drops).toEqual({ refused: 3 });
    expect(r.evidence.pressure.ioFull).toBeNull();
    expect(r.warnings).toEqual([
      '"drops": leg "internal" reason "reset" is Infinity (not a number Prometheus should give here); treated as no data',
      '"psi_io": a value is -1 (not a value Prometheus should give here); treated as no data',
    ]);
  });

  it('reads Prometheus special values written as strings', () => {
    const frames = [
      ...without(panelFrames(), 'rtt', 'cloudflare'),
      promInstant('rtt', { leg: 'cloudflare' }, '+Inf' as unknown as number, TO),
    ];
    expect(map(frames).evidence.legs.cloudflare?.rttP99Ms).toBe(Infinity);
  });

  it('sums several series of one leg (e.g. two probe replicas)', () => {
    const frames = [...panelFrames(), promInstant('slow', { leg: 'cloudflare', instance: 'b' }, 3, TO)];
    expect(map(frames).evidence.legs.cloudflare?.slowSamples).toBe(3);
  });

  it('gaps (null) in the connected series are skipped, not read as down', () => {
    const frames = [
      ...without(panelFrames(), 'connected', 'internal'),
      promSeries('connected', { leg: 'internal' }, [1, null, 1, null], FROM),
    ];
    expect(map(frames).evidence.legs.internal).toMatchObject({ connectedNow: true, connectedMin: 1 });
  });

  it('a connected series with only gaps is named as missing', () => {
    const frames = [
      ...without(panelFrames(), 'connected', 'internal'),
      promSeries('connected', { leg: 'internal' }, [null, null], FROM),
    ];
    const r = map(frames);
    expect(r.evidence.legs.internal?.connectedNow).toBeNull();
    expect(r.missing).toEqual([
      {
        refId: 'connected',
        leg: 'internal',
        text: 'leg "internal" has a "connected" series but no values in the range',
      },
    ]);
  });
});

describe('evidenceFromFrames: legs and labels', () => {
  it('ignores legs outside the topology, with a warning, and never invents a leg', () => {
    const r = map([...panelFrames(), promInstant('drops', { leg: 'ghost', reason: 'reset' }, 5, TO)]);
    expect(Object.keys(r.evidence.legs)).toEqual(['cloudflare', 'internal', 't3serve']);
    expect(r.warnings).toEqual(['"drops": leg "ghost" is not in the panel\'s topology; its series are ignored']);
  });

  it('warns about a series without a leg label', () => {
    const r = map([...panelFrames(), promInstant('slow', {}, 5, TO)]);
    expect(r.warnings).toEqual(['"slow": a series has no "leg" label (labels: {}); ignored']);
    expect(r.evidence.legs.cloudflare?.slowSamples).toBe(0);
  });

  it('counts an unknown reason as "error" rather than losing the drop', () => {
    const frames = [
      ...without(panelFrames(), 'drops', 'cloudflare'),
      promInstant('drops', { leg: 'cloudflare', reason: 'gremlins' }, 2, TO),
    ];
    const r = map(frames);
    expect(r.evidence.legs.cloudflare?.drops).toEqual({ error: 2 });
    expect(r.warnings).toEqual(['"drops": leg "cloudflare" has unknown reason "gremlins"; counted as "error"']);
  });

  it('reads the table format (labels as columns) as well as time series', () => {
    const frames = [
      ...without(panelFrames(), 'drops'),
      promTable(
        'drops',
        ['leg', 'reason'],
        [
          ['cloudflare', 'reset', 4],
          ['internal', 'reset', 0],
          ['t3serve', 'heartbeat_timeout', 1],
        ]
      ),
    ];
    const r = map(frames);
    expect(r.evidence.legs.cloudflare?.drops).toEqual({ reset: 4 });
    expect(r.evidence.legs.t3serve?.drops).toEqual({ heartbeat_timeout: 1 });
    expect(r.missing).toEqual([]);
  });

  it('takes the worst pressure and the lowest probe_up over several series', () => {
    const frames = [
      ...panelFrames(),
      promInstant('psi_memory', { instance: 'devvm', extra: 'x' }, 0.4, TO),
      promInstant('probe_up', { job: 't3-probe', instance: 'other' }, 0, TO),
    ];
    const r = map(frames);
    expect(r.evidence.pressure.memoryFull).toBe(0.4);
    expect(r.evidence.probeUp).toBe(false);
  });
});
