import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../attribution';
import { DEFAULT_TOPOLOGY_TEXT, parseTopologyText } from '../shared/topologyText';
import { thresholdsFromOptions } from './options';
import { parseSegmentLinks, segmentLinkFor } from './segmentLinks';

describe('topology option', () => {
  it('defaults to the runbook topology, normalised with the probe segment on every leg', () => {
    const r = parseTopologyText('');
    expect(r.ok && r.topology.legs.every((l) => l.segments.at(-1) === 'probe')).toBe(true);
    expect(parseTopologyText(DEFAULT_TOPOLOGY_TEXT).ok).toBe(true);
  });

  it('names a JSON error and a topology error', () => {
    expect(parseTopologyText('{', 'Topology option')).toEqual({
      ok: false,
      error: expect.stringMatching(/^Topology option is not valid JSON: /),
    });
    const dup = JSON.stringify({
      segments: [
        { id: 'a', name: 'A' },
        { id: 'a', name: 'B' },
      ],
      legs: [],
    });
    expect(parseTopologyText(dup, 'Topology option')).toEqual({
      ok: false,
      error: 'Topology option: segments[1].id: duplicate segment id "a"',
    });
  });
});

describe('threshold options', () => {
  it('passes valid thresholds and replaces invalid ones by the defaults, saying so', () => {
    expect(thresholdsFromOptions({ rttStallMs: 1000, psiFull: 0.2 })).toEqual({
      thresholds: { rttStallMs: 1000, psiFull: 0.2 },
      problems: [],
    });
    const bad = thresholdsFromOptions({ rttStallMs: -5, psiFull: 3 });
    expect(bad.thresholds).toEqual({});
    expect(bad.problems).toEqual([
      `RTT stall threshold -5 is not a positive number of milliseconds; using ${DEFAULT_THRESHOLDS.rttStallMs}`,
      `PSI threshold 3 is not a stall rate between 0 and 1; using ${DEFAULT_THRESHOLDS.psiFull}`,
    ]);
  });
});

describe('segment links', () => {
  const range = { from: 1000, to: 2000 };
  it('reads segment=url lines, skipping comments, and refuses non-http links', () => {
    const r = parseSegmentLinks(
      '# comment\ntunnel = https://dash.cloudflare.com/x\n\nserve=javascript:alert(1)\nnonsense'
    );
    expect([...r.links]).toEqual([['tunnel', 'https://dash.cloudflare.com/x']]);
    expect(r.problems).toEqual([
      'segment links line 4 is not "segment=/path or https://…": "serve=javascript:alert(1)"',
      'segment links line 5 is not "segment=/path or https://…": "nonsense"',
    ]);
  });

  it('prefers a configured link, then the devvm dashboard for devvm segments, then triage', () => {
    const links = new Map([['tunnel', '/d/cf?from=${__from}&to=${__to}&var-x=$x']]);
    const replace = (s: string) => s.replace('$x', 'y');
    expect(segmentLinkFor('tunnel', range, links, replace)).toBe('/d/cf?from=1000&to=2000&var-x=y');
    expect(segmentLinkFor('serve', range, links, replace)).toBe('/d/t3-devvm-pressure?from=1000&to=2000');
    expect(segmentLinkFor('cf-edge', range, links, replace)).toBe('/a/t3-dropattribution-app/triage?from=1000&to=2000');
  });
});
