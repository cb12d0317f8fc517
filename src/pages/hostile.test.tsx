// @vitest-environment jsdom
/**
 * The app's pages on hostile probe answers, with React's development checks on (the browser tests run
 * Grafana's production React, which stays silent about them): duplicate incident ids, markup everywhere,
 * Prometheus answering garbage. Every row renders, as text, and React logs nothing.
 */
import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeIncidentsAnswer } from '../shared/probe-api/fakes';
import { fakeBackendSrv } from '../test/backendSrv';
import { FROM } from '../test/fixtures';
import { at, probeIncidents, probeVerdict } from '../test/probeFixtures';
import { renderApp } from '../test/renderApp';
import { TEST_IDS } from '../shared/testIds';

const XSS = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>`;
const TO = at(60);
const PROXY = '/api/datasources/proxy/uid';
const hostileIncidents = () =>
  probeIncidents().map((i) => ({ ...i, id: 'same', summary: XSS, legs: [XSS], suspects: [XSS] }));

let errors: ReturnType<typeof vi.spyOn>;
afterEach(() => errors?.mockRestore());
const watchConsole = () => (errors = vi.spyOn(console, 'error'));

describe('pages on hostile probe answers', () => {
  it('incidents page: duplicate ids and markup, every row rendered as text, nothing logged', async () => {
    watchConsole();
    fakeBackendSrv({
      [`${PROXY}/t3-attribution/probe/api/v1/incidents`]: { body: fakeIncidentsAnswer(hostileIncidents()) },
    });
    const { container } = renderApp(`/a/t3-dropattribution-app/incidents?from=${FROM}&to=${TO}`);
    const table = await screen.findByTestId(TEST_IDS.incidentTable);
    expect(within(table).getAllByRole('row')).toHaveLength(1 + hostileIncidents().length);
    expect(table).toHaveTextContent(XSS);
    expect(container.querySelector('img, script')).toBeNull();
    expect(errors).not.toHaveBeenCalled();
  });

  it('triage page: duplicate incident ids in the probe verdict and Prometheus answering HTML, nothing logged', async () => {
    watchConsole();
    const verdict = { ...probeVerdict(FROM, TO), headline: XSS, incidents: hostileIncidents() };
    fakeBackendSrv({
      [`${PROXY}/t3-attribution/probe/api/v1/attribution`]: { body: verdict },
      [`${PROXY}/t3-prometheus/api/v1/query`]: { status: 502, body: `<html>${XSS}</html>` },
      [`${PROXY}/t3-prometheus/api/v1/query_range`]: { body: 'not json' },
    });
    const { container } = renderApp(`/a/t3-dropattribution-app/triage?from=${FROM}&to=${TO}`);
    const list = await screen.findByTestId(TEST_IDS.triageIncidents);
    expect(within(list).getAllByRole('listitem')).toHaveLength(hostileIncidents().length);
    expect(screen.getByTestId(TEST_IDS.triageProbe)).toHaveTextContent(XSS);
    expect(screen.getByTestId(TEST_IDS.triagePrometheus)).toHaveTextContent(
      'Prometheus (datasource "t3-prometheus") did not answer'
    );
    expect(container.querySelector('img, script')).toBeNull();
    expect(errors).not.toHaveBeenCalled();
  });
});
