// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeIncidentsAnswer } from '../../shared/probe-api/fakes';
import { fakeBackendSrv } from '../../test/backendSrv';
import { FROM } from '../../test/fixtures';
import { at, probeIncidents, userProbeRoutes } from '../../test/probeFixtures';
import { renderApp } from '../../test/renderApp';
import { TEST_IDS } from '../../shared/testIds';

const URL_ = '/api/datasources/proxy/uid/t3-attribution/probe/api/v1/incidents';
const TO = at(60);

describe('IncidentsPage', () => {
  it('lists incidents newest first, each linking to triage with a minute either side', async () => {
    const { requests } = fakeBackendSrv({ [URL_]: { body: fakeIncidentsAnswer(probeIncidents()) } });
    renderApp(`/a/t3-dropattribution-app/incidents?from=${FROM}&to=${TO}`);
    const table = await screen.findByTestId(TEST_IDS.incidentTable);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    const [serve, tunnel] = probeIncidents().reverse();
    expect(rows[0]).toHaveTextContent('devvm-net, serve');
    expect(within(rows[0]!).getByRole('link', { name: 'Triage' })).toHaveAttribute(
      'href',
      `/a/t3-dropattribution-app/triage?from=${serve!.start - 60_000}&to=${serve!.end! + 60_000}`
    );
    expect(rows[1]).toHaveTextContent('wan, cf-edge, tunnel');
    expect(rows[1]).toHaveTextContent(tunnel!.summary);
    expect(requests[0]?.url).toBe(`${URL_}?from=${FROM}&to=${TO}`);
  });

  it('filters by suspect from the URL', async () => {
    fakeBackendSrv({ [URL_]: { body: fakeIncidentsAnswer(probeIncidents()) } });
    renderApp(`/a/t3-dropattribution-app/incidents?from=${FROM}&to=${TO}&suspect=tunnel`);
    const table = await screen.findByTestId(TEST_IDS.incidentTable);
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    expect(screen.getByText('1 of 2 incidents.')).toBeInTheDocument();
  });

  it('filters by leg and carries it into the triage link', async () => {
    fakeBackendSrv({ [URL_]: { body: fakeIncidentsAnswer(probeIncidents()) } });
    renderApp(`/a/t3-dropattribution-app/incidents?from=${FROM}&to=${TO}&leg=internal`);
    const table = await screen.findByTestId(TEST_IDS.incidentTable);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(1);
    expect(within(rows[0]!).getByRole('link', { name: 'Triage' }).getAttribute('href')).toMatch(/&leg=internal$/);
  });

  it('shows an open incident as open and says when the probe truncated the list', async () => {
    fakeBackendSrv({ [URL_]: { body: fakeIncidentsAnswer(probeIncidents(true), true) } });
    renderApp(`/a/t3-dropattribution-app/incidents?from=${FROM}&to=${TO}`);
    const table = await screen.findByTestId(TEST_IDS.incidentTable);
    expect(within(table).getByText('open')).toBeInTheDocument();
    expect(screen.getByText(/the probe returned only the newest/)).toBeInTheDocument();
  });

  it("shows the probe's error text when it fails", async () => {
    fakeBackendSrv({ [URL_]: { status: 400, body: { error: 'to: must be after from' } } });
    renderApp(`/a/t3-dropattribution-app/incidents?from=${FROM}&to=${TO}`);
    expect(await screen.findByText(/\/api\/v1\/incidents: 400: to: must be after from/)).toBeInTheDocument();
  });

  describe('by user (issue 12)', () => {
    const usersAsked = (requests: Array<{ url: string }>) =>
      requests
        .map((r) => new URL(r.url, 'http://g'))
        .filter((u) => u.pathname === URL_)
        .map((u) => u.searchParams.get('user'));

    it("?user=: the probe's incidents for that user, the triage links for them", async () => {
      const { requests } = fakeBackendSrv(userProbeRoutes());
      renderApp(`/a/t3-dropattribution-app/incidents?from=${FROM}&to=${TO}&user=alice`);
      const table = await screen.findByTestId(TEST_IDS.incidentTable);
      const rows = within(table).getAllByRole('row').slice(1);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toHaveTextContent('serve-alice');
      expect(rows[0]).toHaveTextContent('serve.alice');
      expect(within(rows[0]!).getByRole('link', { name: 'Triage' }).getAttribute('href')).toMatch(/&user=alice$/);
      expect(screen.getByText('1 of 1 incidents concerning alice.')).toBeInTheDocument();
      expect(usersAsked(requests)).toEqual(['alice']);
    });

    it("another user's instance is not theirs: none for a user whose instance stayed up", async () => {
      fakeBackendSrv(userProbeRoutes());
      renderApp(`/a/t3-dropattribution-app/incidents?from=${FROM}&to=${TO}&user=carol`);
      const table = await screen.findByTestId(TEST_IDS.incidentTable);
      expect(within(table).getAllByRole('row')).toHaveLength(1);
      expect(screen.getByText('0 of 0 incidents concerning carol.')).toBeInTheDocument();
    });

    it('keeps the user over the default last day', async () => {
      const { requests } = fakeBackendSrv(userProbeRoutes());
      renderApp('/a/t3-dropattribution-app/incidents?user=alice');
      await screen.findByTestId(TEST_IDS.incidentTable);
      expect(usersAsked(requests)).toEqual(['alice']);
    });

    it("a user the probe does not know: the probe's 400 said plainly", async () => {
      fakeBackendSrv(userProbeRoutes());
      renderApp(`/a/t3-dropattribution-app/incidents?from=${FROM}&to=${TO}&user=dave`);
      expect(
        await screen.findByText(
          /\/api\/v1\/incidents: 400: user: "dave" is not a user the probe knows \(known: carol, alice\)/
        )
      ).toBeInTheDocument();
      expect(screen.queryByTestId(TEST_IDS.incidentTable)).toBeNull();
    });

    it("the leg and suspect filters offer the probe's users' legs and instances too", async () => {
      fakeBackendSrv(userProbeRoutes());
      renderApp(`/a/t3-dropattribution-app/incidents?from=${FROM}&to=${TO}`);
      await screen.findByTestId(TEST_IDS.incidentTable);
      const optionsOf = async (id: string) => {
        const input = document.getElementById(id)!;
        let texts: Array<string | null> = [];
        await waitFor(() => {
          fireEvent.focus(input);
          fireEvent.keyDown(input, { key: 'ArrowDown', keyCode: 40 });
          texts = screen.getAllByRole('option').map((o) => o.textContent);
          expect(texts.length).toBeGreaterThan(1);
        });
        fireEvent.keyDown(input, { key: 'Escape', keyCode: 27 });
        return texts;
      };
      expect(await optionsOf('t3-incidents-leg')).toEqual([
        'Any leg',
        'cloudflare',
        'internal',
        't3serve',
        'serve-alice',
      ]);
      const suspects = await optionsOf('t3-incidents-suspect');
      expect(suspects).toContain("serve.alice (alice's t3 serve instance)");
      expect(suspects).toContain("serve.carol (carol's t3 serve instance)");
      expect(suspects.filter((t) => t?.startsWith('serve ('))).toHaveLength(1);
    });

    it("the User filter lists the probe's users after Any user; choosing one asks the probe for theirs", async () => {
      const { requests } = fakeBackendSrv(userProbeRoutes());
      renderApp(`/a/t3-dropattribution-app/incidents?from=${FROM}&to=${TO}`);
      await screen.findByTestId(TEST_IDS.incidentTable);
      const input = document.getElementById('t3-incidents-user')!;
      await waitFor(() => {
        fireEvent.focus(input);
        fireEvent.keyDown(input, { key: 'ArrowDown', keyCode: 40 });
        expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['Any user', 'carol', 'alice']);
      });
      fireEvent.click(screen.getAllByRole('option')[2]!);
      await waitFor(() => expect(usersAsked(requests)).toEqual([null, 'alice']));
      expect(await screen.findByText('1 of 1 incidents concerning alice.')).toBeInTheDocument();
    });
  });
});
