import { describe, expect, it } from 'vitest';
import { ATTRIBUTION_TABLE } from '../../src/attribution';
import type { PromSeries } from '../../lab/drive/prometheus';
import { faultsOfRound } from './faults';
import { blackboxRow, blackboxSamples, judgeBlackbox, recovered, type BlackboxSample } from './judge';
import { tallies, tallyRows, type Trial } from './tally';

const row = (id: string): number => ATTRIBUTION_TABLE.findIndex((r) => r.id === id);

const T0 = 1_764_650_000_000;
const sample = (leg: BlackboxSample['leg'], atMs: number, ok: boolean, setup = '15s'): BlackboxSample => ({
  setup,
  leg,
  atMs,
  visibleAtMs: atMs + 100,
  ok,
});

describe('blackboxRow: failing probes read against the runbook table', () => {
  it('names the serve row whenever the t3serve probe failed', () => {
    expect(blackboxRow(new Set(['t3serve']))).toBe(row('serve'));
    expect(blackboxRow(new Set(['cloudflare', 'internal', 't3serve']))).toBe(row('serve'));
  });

  it('names the shared row when the internal entry point failed, with or without the cloudflare one', () => {
    expect(blackboxRow(new Set(['cloudflare', 'internal']))).toBe(row('shared'));
    expect(blackboxRow(new Set(['internal']))).toBe(row('shared'));
  });

  it('names the Cloudflare row for the cloudflare entry point alone, and nothing when nothing failed', () => {
    expect(blackboxRow(new Set(['cloudflare']))).toBe(row('cloudflare'));
    expect(blackboxRow(new Set())).toBeNull();
  });
});

describe('blackboxSamples', () => {
  const metric = { job: 'blackbox-tcp-15s', instance: '127.0.0.1:1', setup: '15s', leg: 'internal' };
  it('joins probe_success with the scrape duration of the same target and time', () => {
    const success: PromSeries[] = [
      {
        metric,
        values: [
          [T0 / 1000, '1'],
          [T0 / 1000 + 15, '0'],
        ],
      },
    ];
    const durations: PromSeries[] = [{ metric, values: [[T0 / 1000 + 15, '0.25']] }];
    expect(blackboxSamples(success, durations)).toEqual([
      { setup: '15s', leg: 'internal', atMs: T0, visibleAtMs: T0, ok: true },
      { setup: '15s', leg: 'internal', atMs: T0 + 15_000, visibleAtMs: T0 + 15_250, ok: false },
    ]);
  });

  it('skips series that are not blackbox targets', () => {
    const other: PromSeries = { metric: { job: 'x', instance: 'y' }, values: [[T0 / 1000, '0']] };
    expect(blackboxSamples([other, { metric: { ...metric, leg: 'edge' }, values: [[T0 / 1000, '0']] }], [])).toEqual(
      []
    );
  });
});

describe('judgeBlackbox', () => {
  it('is undetected when every scrape in the window succeeded', () => {
    expect(judgeBlackbox([sample('t3serve', T0 + 1_000, true)], T0)).toEqual({
      detected: false,
      detectionMs: null,
      row: null,
      named: [],
    });
  });

  it('times detection from the first failing result visible in Prometheus and names the failing legs', () => {
    const samples = [
      sample('internal', T0 - 2_000, false), // before the fault: not this fault's
      sample('internal', T0 + 4_000, false),
      sample('cloudflare', T0 + 2_000, false),
      sample('t3serve', T0 + 3_000, true),
    ];
    expect(judgeBlackbox(samples, T0)).toEqual({
      detected: true,
      detectionMs: 2_100,
      row: row('shared'),
      named: ['cloudflare', 'internal'],
    });
  });
});

describe('recovered', () => {
  const ok = (setup: string, atMs: number) =>
    (['cloudflare', 'internal', 't3serve'] as const).map((l) => sample(l, atMs, true, setup));
  it('needs a successful scrape after the fault of every target of every setup', () => {
    const samples = [...ok('15s', T0 + 1), ...ok('5s', T0 + 1)];
    expect(recovered(samples, ['15s', '5s'], T0)).toBe(true);
    expect(recovered(samples.slice(1), ['15s', '5s'], T0)).toBe(false);
    expect(recovered(samples, ['15s', '5s'], T0 + 1)).toBe(false);
  });
});

describe('faults and their tally', () => {
  it('rotates the hop of black holes and resets over one segment of each runbook row', () => {
    const rows = [0, 1, 2].map((round) => faultsOfRound(round).map((f) => [f.segment, f.row]));
    expect(rows[0]).toEqual([
      ['cf-edge', row('cloudflare')],
      ['cf-edge', 0],
      ['cf-edge', 0],
      ['tunnel', 0],
      ['serve', row('serve')],
    ]);
    expect(rows[1]?.map(([, r]) => r)).toEqual([row('shared'), 1, 1, 1, 2]);
    expect(rows[2]?.map(([s]) => s)).toEqual(['devvm-net', 'devvm-net', 'devvm-net', 'devvm-net', 'serve']);
  });

  it('counts detected and attributed faults and takes the median over the detected only', () => {
    const trial = (detectionMs: number | null, named: number | null): Trial => ({
      kind: 'reset',
      segment: 'tunnel',
      row: 0,
      t0: T0,
      outcomes: { tool: { detected: detectionMs !== null, detectionMs, row: named, named: [] } },
    });
    const [t] = tallies([trial(100, 0), trial(300, 1), trial(200, 0), trial(null, null)], ['tool']);
    expect(t).toEqual({ kind: 'reset', tool: 'tool', faults: 4, detected: 3, medianMs: 200, attributed: 2 });
    expect(tallyRows([t!])[0]?.result).toBe('detected 3/4, median 0.2 s, attributed 2/4');
    expect(tallies([trial(null, null)], ['tool'])[0]?.medianMs).toBeNaN();
  });
});
