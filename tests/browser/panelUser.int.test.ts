/**
 * The panel's per-user verdict as Grafana loads it (issue 12): dist/panel/module.js in headless Chromium on
 * Grafana 13.2, a dashboard whose `user` variable names one user, and the attribution datasource's data
 * proxy in front of a probe stand-in answering with the engine's verdict for that user's report. Saves
 * the README's screenshots of it (artifacts/screenshots/panel-user-<user>.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IDS } from '../../src/shared/testIds';
import { openPage, screenshot, type Harness, type HarnessPage } from './harness';
import { startUserStack, type UserStack } from './userStack';
import { DEFAULT_PROBE_UID } from '../../src/constants';
import { FROM, panelAnswers, TO } from './promFrames';

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
  let stack: UserStack;
  let harness: Harness;
  let view: HarnessPage;

  beforeAll(async () => {
    stack = await startUserStack(user, { user });
    harness = stack.harness;
    view = await openPage(harness, '/d/t3-drop-attribution', { width: 1140, height: 660 });
  });

  afterAll(async () => {
    await stack?.close();
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
    const asked = harness.proxyLog.filter((e) => e.uid === DEFAULT_PROBE_UID && e.path.includes('/api/v1/attribution'));
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((e) => new URL(e.target).searchParams.get('user') === user)).toBe(true);
    expect(view.problems).toEqual([]);
    await screenshot(view.page, `panel-user-${user}`);
  });
});
