// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeBackendSrv, type FakeAnswer } from '../../test/backendSrv';
import { at, probeVerdict, userProbeRoutes, USERS_TOPOLOGY } from '../../test/probeFixtures';
import { matrix, promError, vector } from '../../test/promAnswers';
import { renderApp } from '../../test/renderApp';
import { panelRequests } from './promQueries';
import { PANEL_QUERIES } from '../../shared/promql';
import { TEST_IDS } from '../../shared/testIds';

// A user reports a drop at +40 min: the fixture's serve stall, under devvm IO pressure.
const T = at(40) + 20_000;
const FROM = T - 300_000;
const TO = T + 300_000;
const PROBE = '/api/datasources/proxy/uid/t3-attribution/probe/api/v1/attribution';
const PROM = '/api/datasources/proxy/uid/t3-prometheus/api/v1';

/** The Prometheus answers for the window, keyed by the query text the page must send. */
function prometheusStandIn(): (url: URL) => FakeAnswer {
  const legs = ['cloudflare', 'internal', 't3serve'];
  const byRef: Record<string, FakeAnswer> = {
    drops: vector(
      TO,
      legs.map((leg) => [{ leg, reason: 'heartbeat_timeout' }, 1])
    ),
    connected: matrix(
      FROM,
      15_000,
      legs.map((leg) => [{ leg }, [1, 0, 1]])
    ),
    rtt: vector(
      TO,
      legs.map((leg) => [{ leg }, '0.05'])
    ),
    slow: vector(
      TO,
      legs.map((leg) => [{ leg }, 0])
    ),
    incidents: vector(TO, [
      [{ suspect: 'serve' }, 1],
      [{ suspect: 'devvm-net' }, 1],
    ]),
    psi_io: vector(TO, [[{ instance: 'devvm' }, 0.4]]),
    psi_memory: vector(TO, [[{ instance: 'devvm' }, 0.02]]),
    probe_up: vector(TO, [[{ instance: 'probe' }, 1]]),
  };
  const expected = new Map(
    panelRequests({ from: FROM, to: TO }, 'devvm').map((r) => [r.params.query, byRef[r.refId] as FakeAnswer])
  );
  return (url) => {
    const query = url.searchParams.get('query') ?? '';
    if (query.startsWith('rate(node_pressure_io')) {
      return matrix(FROM - 600_000, 60_000, [[{ instance: 'devvm' }, [0.01, 0.4, 0.05]]]);
    }
    if (query.startsWith('rate(node_pressure_memory')) {
      return matrix(FROM - 600_000, 60_000, [[{ instance: 'devvm' }, [0.0, 0.02]]]);
    }
    if (query.startsWith('node_memory_SwapFree')) {
      return matrix(FROM - 600_000, 60_000, [[{ instance: 'devvm' }, [2 ** 30, 2 ** 29]]]);
    }
    return expected.get(query) ?? promError(`stand-in has no answer for ${query}`);
  };
}

function standIns(probe: FakeAnswer = { body: probeVerdict(FROM, TO) }) {
  const prom = prometheusStandIn();
  return fakeBackendSrv({ [PROBE]: probe, [`${PROM}/query`]: prom, [`${PROM}/query_range`]: prom });
}

describe('TriagePage', () => {
  it('shows both verdicts, pressure, known causes and the log recipe for ?time= in a time zone', async () => {
    const { requests } = standIns();
    renderApp(`/a/t3-dropattribution-app/triage?time=${T}&tz=UTC`);
    const probe = await screen.findByTestId(TEST_IDS.triageProbe);
    expect(within(probe).getByTestId(TEST_IDS.verdict)).toHaveAttribute('data-verdict', 'incident');
    expect(within(probe).getByTestId(TEST_IDS.segment('serve'))).toHaveAttribute('data-state', 'suspect');
    expect(within(probe).getByTestId(TEST_IDS.segment('cf-edge'))).toHaveAttribute('data-state', 'clear');

    const prom = screen.getByTestId(TEST_IDS.triagePrometheus);
    expect(within(prom).getByTestId(TEST_IDS.verdict)).toHaveAttribute('data-verdict', 'incident');
    expect(within(prom).getByTestId(TEST_IDS.segment('serve'))).toHaveAttribute('data-state', 'suspect');

    expect(screen.getByTestId(TEST_IDS.pressure)).toHaveTextContent('fully stalled on IO: worst 40.0% at');
    // Only the Prometheus verdict has PSI: the card says so, and states the cause once.
    const storm = screen.getByTestId(TEST_IDS.knownCauses).querySelector('[data-cause="devvmStorm"]');
    expect(storm).toHaveTextContent('seen in Prometheus');
    expect(storm).not.toHaveTextContent("the probe's exact incidents");
    expect(storm).not.toHaveTextContent('Matches');

    const since = new Date(FROM).toISOString().replace('T', ' ').slice(0, 19);
    const until = new Date(TO).toISOString().replace('T', ' ').slice(0, 19);
    expect(screen.getByTestId(TEST_IDS.logRecipe)).toHaveTextContent(
      `journalctl -u t3-dispatch --since "${since}" --until "${until}" | grep "proxy error"`
    );
    expect(screen.getByTestId(TEST_IDS.logRecipe)).toHaveTextContent(
      `kubectl -n cloudflared logs --since-time=${new Date(FROM).toISOString().slice(0, 19)}Z`
    );

    expect(screen.getByTestId(TEST_IDS.triageWindow)).toHaveTextContent(`UTC ${since} → ${until}`);
    expect(screen.getByTestId(TEST_IDS.triageIncidents)).toHaveTextContent(
      't3serve, cloudflare and internal dropped (heartbeat_timeout)'
    );
    expect(requests.map((r) => r.url)).toContain(`${PROBE}?from=${FROM}&to=${TO}`);
    // One request per panel query, plus the pressure section's three.
    expect(requests.filter((r) => r.url.startsWith(PROM))).toHaveLength(PANEL_QUERIES.length + 3);
  });

  it('keeps the Prometheus verdict when the probe is down, and says why the probe part is missing', async () => {
    standIns({ status: 502, body: { message: 'Bad Gateway' } });
    renderApp(`/a/t3-dropattribution-app/triage?time=${T}`);
    const probe = await screen.findByTestId(TEST_IDS.triageProbe);
    expect(probe).toHaveTextContent('The probe (datasource "t3-attribution") did not answer');
    expect(probe).toHaveTextContent('/api/v1/attribution: 502: Bad Gateway');
    expect(within(screen.getByTestId(TEST_IDS.triagePrometheus)).getByTestId(TEST_IDS.verdict)).toHaveAttribute(
      'data-verdict',
      'incident'
    );
  });

  it('says once why Prometheus gave nothing when every query failed the same way, keeping the probe verdict', async () => {
    fakeBackendSrv({ [PROBE]: { body: probeVerdict(FROM, TO) } });
    renderApp(`/a/t3-dropattribution-app/triage?time=${T}`);
    const prom = await screen.findByTestId(TEST_IDS.triagePrometheus);
    expect(prom).toHaveTextContent('every query failed: datasource "t3-prometheus": 404: Not found');
    expect(prom.textContent?.match(/404/g)).toHaveLength(1);
    expect(within(screen.getByTestId(TEST_IDS.triageProbe)).getByTestId(TEST_IDS.verdict)).toHaveAttribute(
      'data-verdict',
      'incident'
    );
  });

  it('lists every bad parameter of the link and still offers the controls', async () => {
    standIns();
    renderApp('/a/t3-dropattribution-app/triage?from=yesterday&to=1700000000&leg=nope&user=%3Cb%3E');
    const errors = screen.getByTestId(TEST_IDS.triageErrors);
    expect(errors).toHaveTextContent('"from" is not a time: "yesterday"');
    expect(errors).toHaveTextContent('"to" = 1700000000 looks like Unix seconds');
    expect(errors).toHaveTextContent('"user" is not a user name: "<b>"');
    // The leg is checked once the probe has said which legs it has (here it could not: the app's legs).
    await waitFor(() =>
      expect(errors).toHaveTextContent(
        '"leg" = "nope" is not a leg of the topology (legs: cloudflare, internal, t3serve)'
      )
    );
    expect(screen.getByText('Leg')).toBeInTheDocument();
    expect(screen.getByText('User')).toBeInTheDocument();
  });

  it('sends the bare app URL to triage, keeping the query string', async () => {
    standIns();
    renderApp(`/a/t3-dropattribution-app?time=${T}`);
    expect(await screen.findByTestId(TEST_IDS.triageProbe)).toBeInTheDocument();
    expect(screen.getByTestId(TEST_IDS.triageWindow)).toHaveTextContent(
      new Date(FROM).toISOString().replace('T', ' ').slice(0, 19)
    );
  });

  it('uses the configured datasources and devvm label', async () => {
    const prom = prometheusStandIn();
    const { requests } = fakeBackendSrv({
      '/api/datasources/proxy/uid/probe2/probe/api/v1/attribution': { body: probeVerdict(FROM, TO) },
      '/api/datasources/proxy/uid/prom2/api/v1/query': prom,
      '/api/datasources/proxy/uid/prom2/api/v1/query_range': prom,
    });
    renderApp(`/a/t3-dropattribution-app/triage?from=${FROM}&to=${TO}`, {
      probeUid: 'probe2',
      prometheusUid: 'prom2',
      devvmInstance: 'box7',
    });
    await screen.findByTestId(TEST_IDS.triageProbe);
    const psi = requests.find(
      (r) => r.url.includes('query_range') && decodeURIComponent(r.url).includes('node_pressure_io')
    );
    expect(decodeURIComponent(psi?.url ?? '').replaceAll('+', ' ')).toContain('instance="box7"');
  });

  describe('for one user (issue 12)', () => {
    const WHOLE = `from=${at(0)}&to=${at(60)}`;
    /** The probe over USERS_TOPOLOGY (alice's instance stalls at +20 min; carol's no leg watches) and Prometheus. */
    function userStandIns() {
      const prom = prometheusStandIn();
      return fakeBackendSrv({ ...userProbeRoutes(), [`${PROM}/query`]: prom, [`${PROM}/query_range`]: prom });
    }
    const probeSection = () => screen.findByTestId(TEST_IDS.triageProbe);
    const attributionUsers = (requests: Array<{ url: string }>) =>
      requests
        .map((r) => new URL(r.url, 'http://g'))
        .filter((u) => u.pathname === PROBE)
        .map((u) => u.searchParams.get('user'));

    it("?user=: the probe's verdict for that user's report, their own instance blamed, the user in the window line", async () => {
      const { requests } = userStandIns();
      renderApp(`/a/t3-dropattribution-app/triage?${WHOLE}&user=alice`);
      const probe = await probeSection();
      const verdict = await within(probe).findByTestId(TEST_IDS.verdict);
      expect(verdict).toHaveAttribute('data-verdict', 'incident');
      expect(within(probe).getByTestId(TEST_IDS.segment('serve.alice'))).toHaveAttribute('data-state', 'suspect');
      expect(within(probe).getByTestId(TEST_IDS.leg('serve-alice'))).toBeInTheDocument();
      expect(probe).toHaveTextContent("the probe's verdict for alice's report");
      expect(attributionUsers(requests)).toEqual(['alice']);
      expect(screen.getByTestId(TEST_IDS.triageWindow)).toHaveTextContent('— user alice');
      expect(screen.getByText(/Incidents in the window concerning alice/)).toBeInTheDocument();
      expect(screen.getByTestId(TEST_IDS.triageIncidents)).toHaveTextContent('serve-alice dropped (heartbeat_timeout)');
    });

    it('a user whose instance no leg watches: the headline says it was not watched', async () => {
      userStandIns();
      renderApp(`/a/t3-dropattribution-app/triage?${WHOLE}&user=carol`);
      const probe = await probeSection();
      const verdict = await within(probe).findByTestId(TEST_IDS.verdict);
      expect(verdict).toHaveAttribute('data-verdict', 'exonerated');
      expect(verdict).toHaveTextContent("carol's own serve instance (serve.carol) was not watched");
      expect(within(probe).getByTestId(TEST_IDS.segment('serve.carol'))).toHaveAttribute('data-state', 'unmonitored');
    });

    it("a user the probe does not know: the probe's 400 said plainly", async () => {
      userStandIns();
      renderApp(`/a/t3-dropattribution-app/triage?${WHOLE}&user=dave`);
      const probe = await probeSection();
      await waitFor(() => expect(probe).toHaveTextContent('The probe gave no verdict for dave'));
      expect(probe).toHaveTextContent(
        '/api/v1/attribution: 400: user: "dave" is not a user the probe knows (known: carol, alice)'
      );
      expect(within(probe).queryByTestId(TEST_IDS.verdict)).toBeNull();
    });

    it("an alert link naming a user's leg: the leg is the probe's, not refused for missing from the app's topology", async () => {
      userStandIns();
      renderApp(`/a/t3-dropattribution-app/triage?${WHOLE}&leg=serve-alice&user=alice`);
      const probe = await probeSection();
      expect(await within(probe).findByTestId(TEST_IDS.verdict)).toHaveAttribute('data-verdict', 'incident');
      expect(screen.queryByTestId(TEST_IDS.triageErrors)).toBeNull();
      expect(screen.getByTestId(TEST_IDS.triageWindow)).toHaveTextContent('— leg serve-alice — user alice');
    });

    it("the User field lists the probe's users after an empty choice; choosing one asks for that user's verdict", async () => {
      const { requests } = userStandIns();
      renderApp(`/a/t3-dropattribution-app/triage?${WHOLE}`);
      expect(await within(await probeSection()).findByTestId(TEST_IDS.verdict)).toBeInTheDocument();
      expect(attributionUsers(requests)).toEqual([null]);
      const input = document.getElementById('t3-triage-user')!;
      await waitFor(() => {
        fireEvent.focus(input);
        fireEvent.keyDown(input, { key: 'ArrowDown', keyCode: 40 });
        expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['All users', 'carol', 'alice']);
      });
      fireEvent.click(screen.getAllByRole('option')[1]!);
      await waitFor(() => expect(attributionUsers(requests)).toEqual([null, 'carol']));
      expect(await screen.findByText(/serve\.carol\) was not watched/)).toBeInTheDocument();
    });

    it("Prometheus, the user unknown to the app's topology: every user's verdict, said so", async () => {
      userStandIns();
      renderApp(`/a/t3-dropattribution-app/triage?from=${FROM}&to=${TO}&user=alice`);
      const prom = await screen.findByTestId(TEST_IDS.triagePrometheus);
      await within(prom).findByTestId(TEST_IDS.verdict);
      expect(prom).toHaveTextContent("The app's topology setting does not know user alice");
      expect(within(prom).queryByTestId(TEST_IDS.segment('serve.alice'))).toBeNull();
    });

    it("Prometheus, with the user in the app's topology: their view, their own instance drawn, no warning", async () => {
      userStandIns();
      renderApp(`/a/t3-dropattribution-app/triage?from=${FROM}&to=${TO}&user=alice`, {
        topology: JSON.stringify(USERS_TOPOLOGY),
      });
      const prom = await screen.findByTestId(TEST_IDS.triagePrometheus);
      await within(prom).findByTestId(TEST_IDS.verdict);
      expect(within(prom).getByTestId(TEST_IDS.segment('serve.alice'))).toBeInTheDocument();
      expect(prom).not.toHaveTextContent('does not know user');
    });
  });
});
