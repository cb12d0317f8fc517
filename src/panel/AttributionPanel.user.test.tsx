// @vitest-environment jsdom
// The dashboard's `user` variable (issue 12): the panel's headline is the probe's verdict for that user's report.
import { screen, within } from '@testing-library/react';
import React from 'react';
import { describe, expect, it } from 'vitest';
import { fakeBackendSrv } from '../test/backendSrv';
import { FROM, panelFrames, TO } from '../test/fixtures';
import { panelProps } from '../test/panelProps';
import { userProbeRoutes } from '../test/probeFixtures';
import { renderWithProviders } from '../test/render';
import { TEST_IDS } from '../shared/testIds';
import { AttributionPanel } from './AttributionPanel';

const PROBE = '/api/datasources/proxy/uid/t3-attribution/probe';

/** The panel on a dashboard whose `user` variable has `value` (null: the dashboard has no such variable). */
function renderFor(value: string | null, optionOverrides = {}) {
  const replaceVariables = (s: string) => (value === null ? s : s.replaceAll('${user}', value));
  return renderWithProviders(
    <AttributionPanel {...panelProps(panelFrames(), { replaceVariables, optionOverrides })} />
  );
}

const stateOf = (id: string) => screen.getByTestId(TEST_IDS.segment(id)).getAttribute('data-state');

describe('AttributionPanel with a user variable', () => {
  it("one user: the probe's verdict for that user's report, their own instance blamed, the triage link for them", async () => {
    const { requests } = fakeBackendSrv(userProbeRoutes());
    renderFor('alice');
    const headline = await screen.findByTestId(TEST_IDS.verdict);
    expect(headline).toHaveAttribute('data-verdict', 'incident');
    expect(headline).toHaveTextContent(
      "Infra incident: that user's t3 serve stalled (their cgroup): alice's t3 serve instance (serve.alice)."
    );
    expect(stateOf('serve.alice')).toBe('suspect');
    expect(stateOf('serve')).toBe('clear');
    expect(screen.getByTestId(TEST_IDS.leg('serve-alice'))).toBeInTheDocument();
    expect(screen.getByText("the probe's verdict for alice's report")).toBeInTheDocument();
    const attribution = requests
      .map((r) => new URL(r.url, 'http://g'))
      .find((u) => u.pathname.endsWith('/attribution'));
    expect(attribution?.pathname).toBe(`${PROBE}/api/v1/attribution`);
    expect(Object.fromEntries(attribution!.searchParams)).toEqual({
      from: String(FROM),
      to: String(TO),
      user: 'alice',
    });
    expect(screen.getByTestId(TEST_IDS.triageLink)).toHaveAttribute(
      'href',
      `/a/t3-dropattribution-app/triage?from=${FROM}&to=${TO}&user=alice`
    );
    // The segments' links: the triage page for alice, her own instance to devvm's pressure.
    const linkOf = (id: string) => within(screen.getByTestId(TEST_IDS.segment(id))).getByRole('link');
    expect(linkOf('wan')).toHaveAttribute('href', `/a/t3-dropattribution-app/triage?from=${FROM}&to=${TO}&user=alice`);
    expect(linkOf('serve.alice')).toHaveAttribute('href', `/d/t3-devvm-pressure?from=${FROM}&to=${TO}`);
  });

  it('a user whose instance no leg watches: the headline says it was not watched, the instance unmonitored', async () => {
    fakeBackendSrv(userProbeRoutes());
    renderFor('carol');
    const headline = await screen.findByTestId(TEST_IDS.verdict);
    expect(headline).toHaveAttribute('data-verdict', 'exonerated');
    expect(headline).toHaveTextContent("carol's own serve instance (serve.carol) was not watched");
    expect(stateOf('serve.carol')).toBe('unmonitored');
    expect(screen.queryByTestId(TEST_IDS.segment('serve.alice'))).toBeNull();
  });

  it("a user the probe does not know: the probe's 400 said plainly, no verdict", async () => {
    fakeBackendSrv(userProbeRoutes());
    renderFor('dave');
    const error = await screen.findByTestId(TEST_IDS.panelError);
    expect(error).toHaveTextContent('The probe gave no verdict for dave');
    expect(error).toHaveTextContent(
      '/api/v1/attribution: 400: user: "dave" is not a user the probe knows (known: carol, alice)'
    );
    expect(screen.queryByTestId(TEST_IDS.verdict)).toBeNull();
  });

  it('asks the datasource the option names', async () => {
    const { requests } = fakeBackendSrv(userProbeRoutes('/api/datasources/proxy/uid/other-probe/probe'));
    renderFor('alice', { probeDatasource: 'other-probe' });
    expect(await screen.findByTestId(TEST_IDS.verdict)).toHaveAttribute('data-verdict', 'incident');
    expect(requests.every((r) => r.url.startsWith('/api/datasources/proxy/uid/other-probe/probe/'))).toBe(true);
  });

  it.each([
    ['no user variable', null],
    ['All', 'All'],
    ["Grafana's All value", '$__all'],
    ['an empty value', ''],
  ])("%s: every user's verdict from the dashboard's frames, the probe not asked", (_what, value) => {
    const { requests } = fakeBackendSrv(userProbeRoutes());
    renderFor(value);
    expect(screen.getByTestId(TEST_IDS.verdict)).toHaveTextContent(/^Infra clean/);
    expect(requests).toEqual([]);
    expect(screen.getByTestId(TEST_IDS.triageLink).getAttribute('href')).not.toContain('user=');
  });
});
