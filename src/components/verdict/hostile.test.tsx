// @vitest-environment jsdom
/**
 * The verdict components on a verdict from a hostile or broken source (the probe's API answers the triage
 * page draws directly): markup in every string, unknown reasons and legs, non-finite numbers, 100 KB text.
 * Everything renders as text, nothing is injected, React logs nothing.
 */
import { screen } from '@testing-library/react';
import React from 'react';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_TOPOLOGY, normalizeTopology } from '../../attribution';
import type { Reason, Verdict } from '../../attribution/types';
import { renderWithProviders } from '../../test/render';
import { VerdictView } from './VerdictView';
import { TEST_IDS } from '../../shared/testIds';

const XSS = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>`;
const topology = normalizeTopology(DEFAULT_TOPOLOGY);

function hostile(): Verdict {
  return {
    verdict: 'incident',
    from: 0,
    to: 1,
    suspects: [XSS],
    segments: [
      ...topology.segments.map((s) => ({ id: s.id, name: `${s.name} ${XSS}`, state: 'suspect' as const })),
      { id: XSS, name: 'z'.repeat(100_000), state: 'unknown' },
    ],
    incidents: [],
    legs: [
      {
        leg: XSS,
        hasData: true,
        drops: { [XSS]: 3, reset: Number.NaN } as Partial<Record<Reason, number>>,
        connected: null,
        rttP99Ms: -Infinity,
        why: { code: 'drops', count: 3 },
        note: XSS,
      },
    ],
    hints: [{ kind: 'rtt_spike', text: XSS, runbook: XSS }],
    headline: XSS,
    runbookRow: 99,
  };
}

describe('VerdictView on a hostile verdict', () => {
  it('renders every string as text: no element injected, nothing logged', () => {
    const errors = vi.spyOn(console, 'error');
    const { container } = renderWithProviders(
      <VerdictView
        verdict={hostile()}
        topology={topology}
        width={1000}
        missing={[{ refId: XSS, leg: XSS, text: XSS }]}
        warnings={[XSS]}
      />
    );
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
    expect(container.querySelector('img, script, iframe')).toBeNull();
    expect(screen.getByTestId(TEST_IDS.verdict)).toHaveTextContent(XSS);
    expect(screen.getByTestId(TEST_IDS.hints)).toHaveTextContent(XSS);
    expect(screen.getByTestId(TEST_IDS.missing)).toHaveTextContent(XSS);
    expect(screen.getByTestId(TEST_IDS.segment('tunnel'))).toHaveTextContent(XSS);
    expect(container.textContent).toContain(`${XSS} ×3`);
  });

  it('a runbook row the table does not have highlights none', () => {
    renderWithProviders(<VerdictView verdict={hostile()} topology={topology} width={1000} />);
    expect(document.querySelectorAll('[data-match="true"]')).toHaveLength(0);
  });

  it('a small tile shows segment ids, still as text', () => {
    const { container } = renderWithProviders(<VerdictView verdict={hostile()} topology={topology} width={300} />);
    expect(container.querySelector('img, script')).toBeNull();
    expect(screen.getByTestId(TEST_IDS.segment(XSS))).toHaveTextContent(XSS);
  });
});
