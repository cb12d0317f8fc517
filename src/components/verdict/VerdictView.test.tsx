// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import React from 'react';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TOPOLOGY, normalizeTopology } from '../../attribution';
import type { SegmentState, Verdict } from '../../attribution/types';
import { renderWithProviders } from '../../test/render';
import { VerdictView } from './VerdictView';
import { formatDrops, formatRtt } from './legEvidence.utils';
import { TEST_IDS } from '../../shared/testIds';

const topology = normalizeTopology(DEFAULT_TOPOLOGY);

function verdict(
  kind: Verdict['verdict'],
  states: Partial<Record<string, SegmentState>>,
  over: Partial<Verdict> = {}
): Verdict {
  return {
    verdict: kind,
    from: 0,
    to: 1,
    suspects: [],
    segments: topology.segments.map((s) => ({ id: s.id, name: s.name, state: states[s.id] ?? 'clear' })),
    incidents: [],
    legs: [
      {
        leg: 'cloudflare',
        hasData: true,
        drops: { reset: 2, heartbeat_timeout: 1 },
        connected: false,
        rttP99Ms: Infinity,
        why: { code: 'drops', count: 3 },
        note: '3 drops',
      },
      {
        leg: 'internal',
        hasData: false,
        drops: {},
        connected: null,
        rttP99Ms: null,
        why: { code: 'missing', missing: ['connected_series'] },
        note: 'no connected series',
      },
    ],
    hints: [{ kind: 'rtt_spike', text: 't3serve round trips spiked.', runbook: '§1' }],
    headline: `headline for ${kind}`,
    runbookRow: null,
    ...over,
  };
}

describe('VerdictView', () => {
  it.each<[SegmentState]>([['suspect'], ['clear'], ['unknown'], ['unmonitored']])(
    'marks a %s segment with data-state and words',
    (state) => {
      renderWithProviders(
        <VerdictView verdict={verdict('incident', { tunnel: state })} topology={topology} width={1000} />
      );
      const seg = screen.getByTestId(TEST_IDS.segment('tunnel'));
      expect(seg).toHaveAttribute('data-state', state);
      expect(seg).toHaveTextContent(
        { suspect: 'suspect', clear: 'clear', unknown: 'no data', unmonitored: 'not monitored' }[state]
      );
    }
  );

  it.each<[Verdict['verdict'], string]>([
    ['incident', 'Infrastructure fault'],
    ['exonerated', 'Infrastructure clean'],
    ['unknown', 'Not enough data'],
  ])('shows a %s verdict with its headline and label', (kind, label) => {
    renderWithProviders(<VerdictView verdict={verdict(kind, {})} topology={topology} width={1000} />);
    expect(screen.getByTestId(TEST_IDS.verdict)).toHaveTextContent(`headline for ${kind}`);
    expect(screen.getByTestId(TEST_IDS.verdict)).toHaveAttribute('data-verdict', kind);
    expect(screen.getByText(label)).toBeInTheDocument();
  });

  it('highlights exactly the runbook row the verdict names', () => {
    renderWithProviders(
      <VerdictView verdict={verdict('incident', {}, { runbookRow: 2 })} topology={topology} width={1000} />
    );
    const matches = screen.getByTestId(TEST_IDS.runbookTable).querySelectorAll('[data-match="true"]');
    expect(matches).toHaveLength(1);
    expect(matches[0]).toHaveTextContent("matches: the user's t3 serve stalled (see §3)");
    expect(within(matches[0] as HTMLElement).getByText('t3serve').tagName).toBe('CODE');
  });

  it("shows the finer legs' verdict: one suspect on the path, the runbook row lit and what the legs narrowed it to", () => {
    const check = { intervalMs: 10_000, timeoutMs: 5_000 };
    const finer = normalizeTopology({
      ...DEFAULT_TOPOLOGY,
      legs: [
        ...DEFAULT_TOPOLOGY.legs,
        { name: 'edge', type: 'http', segments: ['wan', 'cf-edge'], ...check },
        { name: 'traefik', type: 'tcp', segments: ['traefik'], ...check },
      ],
    });
    renderWithProviders(
      <VerdictView
        verdict={verdict(
          'incident',
          { tunnel: 'suspect', client: 'unmonitored' },
          { suspects: ['tunnel'], runbookRow: 0 }
        )}
        topology={finer}
        width={1000}
      />
    );
    const states = topology.segments.map((s) => screen.getByTestId(TEST_IDS.segment(s.id)).getAttribute('data-state'));
    expect(states.filter((s) => s === 'suspect')).toHaveLength(1);
    expect(screen.getByTestId(TEST_IDS.segment('tunnel'))).toHaveAttribute('data-state', 'suspect');
    expect(screen.getByTestId(TEST_IDS.runbookRow(0))).toHaveAttribute('data-match', 'true');
    expect(screen.getByTestId(TEST_IDS.runbookNarrowed)).toHaveTextContent(
      'The legs narrow it to QUIC tunnel / cloudflared (tunnel).'
    );
    expect(within(screen.getByTestId(TEST_IDS.runbookRow(0))).getByTestId(TEST_IDS.runbookNarrowed)).toBeTruthy();
    // The finer legs are drawn under the few segments they cross.
    expect(screen.getAllByTestId(TEST_IDS.leg('edge')).map((b) => b.getAttribute('data-segments'))).toEqual([
      'wan cf-edge',
      'probe',
    ]);
    expect(screen.getAllByTestId(TEST_IDS.leg('traefik'))[0]).toHaveTextContent('traefik (tcp)');
  });

  it('says no narrowing when the suspects are the whole row', () => {
    renderWithProviders(
      <VerdictView
        verdict={verdict('incident', {}, { suspects: ['wan', 'cf-edge', 'tunnel'], runbookRow: 0 })}
        topology={topology}
        width={1000}
      />
    );
    expect(screen.getByTestId(TEST_IDS.runbookRow(0))).toHaveAttribute('data-match', 'true');
    expect(screen.queryByTestId(TEST_IDS.runbookNarrowed)).toBeNull();
  });

  it('draws every leg under exactly the segments it traverses, one bar per run of adjacent segments', () => {
    renderWithProviders(<VerdictView verdict={verdict('exonerated', {})} topology={topology} width={1000} />);
    const bars = (leg: string) => screen.getAllByTestId(TEST_IDS.leg(leg)).map((b) => b.getAttribute('data-segments'));
    expect(bars('cloudflare')).toEqual(['wan cf-edge tunnel traefik devvm-net dispatch serve probe']);
    expect(bars('internal')).toEqual(['traefik devvm-net dispatch serve probe']);
    // t3serve goes straight to devvm: it bypasses dispatch, and the gap shows it.
    expect(bars('t3serve')).toEqual(['devvm-net', 'serve probe']);
    expect(screen.getAllByTestId(TEST_IDS.leg('t3serve'))[1]?.style.gridColumn).toBe('8 / 10');
  });

  it('splits a leg that skips a segment into one bar per run', () => {
    const gappy = {
      ...topology,
      legs: [{ ...topology.legs[0]!, name: 'gappy', segments: ['wan', 'tunnel', 'traefik'] }],
    };
    renderWithProviders(<VerdictView verdict={verdict('exonerated', {})} topology={gappy} width={1000} />);
    expect(screen.getAllByTestId(TEST_IDS.leg('gappy')).map((b) => b.getAttribute('data-segments'))).toEqual([
      'wan',
      'tunnel traefik',
    ]);
  });

  it('shows per-leg evidence: drops by reason, connected now, RTT p99, the note', () => {
    renderWithProviders(<VerdictView verdict={verdict('incident', {})} topology={topology} width={1000} />);
    const cf = screen.getByTestId(TEST_IDS.legRow('cloudflare'));
    expect(cf).toHaveTextContent('reset ×2, heartbeat_timeout ×1');
    expect(cf).toHaveTextContent('down');
    expect(cf).toHaveTextContent('above the top bucket');
    expect(screen.getByTestId(TEST_IDS.legEvidence)).toHaveTextContent('RTT p99');
    expect(screen.getByTestId(TEST_IDS.legRow('internal'))).toHaveTextContent(
      'no dataunknownno datano connected series'
    );
    expect(screen.getByTestId(TEST_IDS.hints)).toHaveTextContent('t3serve round trips spiked. (runbook §1)');
  });

  it("leaves the RTT column out when no leg has a round trip (the probe's exact verdicts carry none)", () => {
    const noRtt = verdict('incident', {});
    noRtt.legs = noRtt.legs.map((leg) => ({ ...leg, rttP99Ms: null }));
    renderWithProviders(<VerdictView verdict={noRtt} topology={topology} width={1000} />);
    const table = screen.getByTestId(TEST_IDS.legEvidence);
    expect(table).not.toHaveTextContent('RTT p99');
    expect(screen.getByTestId(TEST_IDS.legRow('cloudflare')).querySelectorAll('td')).toHaveLength(3);
  });

  it('renders text as text, never as markup', () => {
    renderWithProviders(
      <VerdictView
        verdict={verdict('incident', {}, { headline: '<img src=x onerror=alert(1)>' })}
        topology={topology}
        width={1000}
      />
    );
    expect(screen.getByTestId(TEST_IDS.verdict)).toHaveTextContent('<img src=x onerror=alert(1)>');
    expect(document.querySelector('img')).toBeNull();
  });
});

describe('leg evidence formatting', () => {
  it('orders drops most first and says none when nothing dropped', () => {
    expect(formatDrops({ reset: 1, refused: 3, dns: 0 })).toBe('refused ×3, reset ×1');
    expect(formatDrops({})).toBe('none');
  });

  it('formats RTT', () => {
    expect(formatRtt(null)).toBe('no data');
    expect(formatRtt(Infinity)).toBe('above the top bucket');
    expect(formatRtt(2500)).toBe('2.5s');
  });
});
