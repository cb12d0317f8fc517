/**
 * The panel's per-user verdict as Grafana loads it (issue 12): dist/panel/module.js in headless Chromium on
 * Grafana 13.2, a dashboard whose `user` variable names one user, and the attribution datasource's data
 * proxy in front of a probe stand-in answering with the engine's verdict for that user's report. Saves
 * the README's screenshots of it (artifacts/screenshots/panel-user-<user>.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeRoutes, fakeTopologyAnswer } from '../../src/shared/probe-api/fakes';
import { TEST_IDS } from '../../src/shared/testIds';
import { userVerdict, USERS_TOPOLOGY } from '../../src/test/probeFixtures';
import { startFakeProbe, type FakeProbe } from './fakeProbe';
import { openPage, screenshot, startHarness, type Harness, type HarnessPage } from './harness';
import { FROM, panelAnswers, TO } from './promFrames';

const PROBE_UID = 't3-attribution';

describe.each([
  {
    user: 'alice',
    verdict: 'incident',
    headline: "alice's t3 serve instance (serve.alice)",
    own: ['serve.alice', 'suspect'],
  },
  {
    user: 'carol',
    verdict: 'exonerated',
    headline: "carol's own serve instance (serve.carol) was not watched",
    own: ['serve.carol', 'unmonitored'],
  },
] as const)('the panel with the dashboard variable user=$user', ({ user, verdict, headline, own }) => {
  let probe: FakeProbe;
  let harness: Harness;
  let view: HarnessPage;

  beforeAll(async () => {
    probe = await startFakeProbe(
      fakeRoutes({
        '/api/v1/attribution': userVerdict(user, FROM, TO),
        '/api/v1/topology': fakeTopologyAnswer(USERS_TOPOLOGY),
      })
    );
    harness = await startHarness({
      grafana: '13.2.3',
      variables: { user },
      datasources: [
        { uid: PROBE_UID, name: 't3 probe', type: 't3-dropattribution-datasource', jsonData: { url: probe.url } },
      ],
    });
    view = await openPage(harness, '/d/t3-drop-attribution', { width: 1140, height: 660 });
  });

  afterAll(async () => {
    await harness?.close();
    await probe?.close();
  });

  it("shows the probe's verdict for that user, asked with user= through the data proxy, and saves a screenshot", async () => {
    await view.renderPanel({
      frames: panelAnswers(),
      theme: 'dark',
      width: 1100,
      height: 620,
      timeRange: { from: FROM, to: TO },
    });
    const shown = view.page.getByTestId(TEST_IDS.verdict);
    await expect.poll(() => shown.getAttribute('data-verdict'), { timeout: 10_000 }).toBe(verdict);
    expect(await shown.textContent()).toContain(headline);
    expect(await view.page.getByTestId(TEST_IDS.segment(own[0])).getAttribute('data-state')).toBe(own[1]);
    const asked = harness.proxyLog.filter((e) => e.uid === PROBE_UID && e.path.includes('/api/v1/attribution'));
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((e) => new URL(e.target).searchParams.get('user') === user)).toBe(true);
    expect(view.problems).toEqual([]);
    await screenshot(view.page, `panel-user-${user}`);
  });
});
