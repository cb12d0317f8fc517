// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import React from 'react';
import { describe, expect, it } from 'vitest';
import { FROM, panelFrames, TO, without } from '../test/fixtures';
import { panelProps } from '../test/panelProps';
import { renderWithProviders } from '../test/render';
import { AttributionPanel } from './AttributionPanel';
import { TEST_IDS } from '../shared/testIds';

const stateOf = (id: string) => screen.getByTestId(TEST_IDS.segment(id)).getAttribute('data-state');
const states = (ids: string[]) => ids.map(stateOf);

describe('AttributionPanel', () => {
  it('exonerates infra when every leg stayed up with data: client is the only suspect, shown unmonitored', () => {
    renderWithProviders(<AttributionPanel {...panelProps(panelFrames())} />);
    expect(screen.getByTestId(TEST_IDS.verdict)).toHaveAttribute('data-verdict', 'exonerated');
    expect(screen.getByTestId(TEST_IDS.verdict)).toHaveTextContent(/Infra clean/);
    expect(stateOf('client')).toBe('unmonitored');
    expect(states(['wan', 'cf-edge', 'tunnel', 'traefik', 'devvm-net', 'dispatch', 'serve', 'probe'])).toEqual(
      Array(8).fill('clear')
    );
    expect(screen.getByTestId(TEST_IDS.runbookRow(3))).toHaveAttribute('data-match', 'true');
    expect(screen.queryByTestId(TEST_IDS.missing)).toBeNull();
  });

  it('blames Cloudflare/WAN when only the cloudflare leg dropped', () => {
    renderWithProviders(
      <AttributionPanel {...panelProps(panelFrames({ cloudflare: { drops: { reset: 2 }, connected: [1, 0, 1] } }))} />
    );
    expect(screen.getByTestId(TEST_IDS.verdict)).toHaveAttribute('data-verdict', 'incident');
    expect(states(['wan', 'cf-edge', 'tunnel'])).toEqual(['suspect', 'suspect', 'suspect']);
    expect(states(['traefik', 'dispatch', 'serve'])).toEqual(['clear', 'clear', 'clear']);
    expect(screen.getByTestId(TEST_IDS.runbookRow(0))).toHaveAttribute('data-match', 'true');
    expect(screen.getByTestId(TEST_IDS.runbookRow(3))).toHaveAttribute('data-match', 'false');
    const row = screen.getByTestId(TEST_IDS.legRow('cloudflare'));
    expect(within(row).getByText('reset ×2')).toBeInTheDocument();
  });

  it('says unknown, never exonerated, when the cloudflare leg has no data, and names what is missing', () => {
    const frames = without(without(panelFrames(), 'drops', 'cloudflare'), 'connected', 'cloudflare');
    renderWithProviders(<AttributionPanel {...panelProps(frames)} />);
    expect(screen.getByTestId(TEST_IDS.verdict)).toHaveAttribute('data-verdict', 'unknown');
    expect(states(['wan', 'cf-edge', 'tunnel'])).toEqual(['unknown', 'unknown', 'unknown']);
    expect(stateOf('traefik')).toBe('clear');
    const missing = screen.getByTestId(TEST_IDS.missing);
    expect(missing).toHaveTextContent('no disconnect counts for leg "cloudflare" ("drops")');
    expect(missing).toHaveTextContent('no connected state for leg "cloudflare" ("connected")');
    expect(screen.getByTestId(TEST_IDS.runbookTable).querySelector('[data-match="true"]')).toBeNull();
  });

  it('says unknown with every segment but client unknown when there are no frames at all', () => {
    renderWithProviders(<AttributionPanel {...panelProps([])} />);
    expect(screen.getByTestId(TEST_IDS.verdict)).toHaveAttribute('data-verdict', 'unknown');
    expect(states(['client', 'wan', 'serve'])).toEqual(['unmonitored', 'unknown', 'unknown']);
  });

  it('points at serve and hints devvm pressure when only t3serve timed out under IO pressure', () => {
    const frames = panelFrames({ t3serve: { drops: { heartbeat_timeout: 3 }, connected: [1, 0, 1] } }, { psiIo: 0.4 });
    renderWithProviders(<AttributionPanel {...panelProps(frames)} />);
    expect(screen.getByTestId(TEST_IDS.verdict)).toHaveAttribute('data-verdict', 'incident');
    expect(stateOf('serve')).toBe('suspect');
    expect(stateOf('wan')).toBe('clear');
    expect(screen.getByTestId(TEST_IDS.hints).querySelector('[data-hint="devvm_pressure"]')).not.toBeNull();
  });

  it('shows an error naming the bad key for an invalid topology option, and no verdict', () => {
    const bad = JSON.stringify({
      segments: [{ id: 'a', name: 'A' }],
      legs: [{ name: 'x', type: 'websocket', segments: ['nope'], intervalMs: 1, timeoutMs: 1 }],
    });
    renderWithProviders(<AttributionPanel {...panelProps(panelFrames(), { optionOverrides: { topology: bad } })} />);
    expect(screen.getByText(/legs\[0\]\.segments\[0\]: unknown segment "nope"/)).toBeInTheDocument();
    expect(screen.queryByTestId(TEST_IDS.verdict)).toBeNull();
  });

  it('shows a JSON syntax error in the topology option as such', () => {
    renderWithProviders(
      <AttributionPanel {...panelProps(panelFrames(), { optionOverrides: { topology: '{"segments": [' } })} />
    );
    expect(screen.getByText(/Topology option is not valid JSON/)).toBeInTheDocument();
  });

  it('links the range to the triage page and segments to their data links', () => {
    renderWithProviders(
      <AttributionPanel
        {...panelProps(panelFrames(), { optionOverrides: { segmentLinks: 'tunnel=/d/cf?from=${__from}' } })}
      />
    );
    expect(screen.getByTestId(TEST_IDS.triageLink)).toHaveAttribute(
      'href',
      `/a/t3-dropattribution-app/triage?from=${FROM}&to=${TO}`
    );
    expect(within(screen.getByTestId(TEST_IDS.segment('tunnel'))).getByRole('link')).toHaveAttribute(
      'href',
      `/d/cf?from=${FROM}`
    );
    expect(within(screen.getByTestId(TEST_IDS.segment('serve'))).getByRole('link')).toHaveAttribute(
      'href',
      `/d/t3-devvm-pressure?from=${FROM}&to=${TO}`
    );
    expect(
      within(screen.getByTestId(TEST_IDS.segment('wan')))
        .getByRole('link')
        .getAttribute('href')
    ).toMatch(/^\/a\/t3-dropattribution-app\/triage\?/);
  });

  it('hides sections that are switched off', () => {
    renderWithProviders(
      <AttributionPanel
        {...panelProps(panelFrames(), { optionOverrides: { showRunbookTable: false, showLegs: false } })}
      />
    );
    expect(screen.queryByTestId(TEST_IDS.runbookTable)).toBeNull();
    expect(screen.queryByTestId(TEST_IDS.legEvidence)).toBeNull();
    expect(screen.getByTestId(TEST_IDS.segment('serve'))).toBeInTheDocument();
  });

  it('shows ids instead of names on a small tile, in the light theme too', () => {
    renderWithProviders(<AttributionPanel {...panelProps(panelFrames(), { width: 300, height: 200 })} />, {
      theme: 'light',
    });
    expect(screen.getByTestId(TEST_IDS.segment('cf-edge'))).toHaveTextContent('cf-edge');
    expect(screen.getByTestId(TEST_IDS.segment('cf-edge'))).not.toHaveTextContent('Cloudflare edge');
  });

  it('reports a failed query by refId', () => {
    const props = panelProps(without(panelFrames(), 'rtt'));
    props.data = { ...props.data, errors: [{ refId: 'rtt', message: 'bad_data: parse error' }] };
    renderWithProviders(<AttributionPanel {...props} />);
    expect(screen.getByTestId(TEST_IDS.missing)).toHaveTextContent('query "rtt" failed: bad_data: parse error');
  });
});
