/**
 * The triage page for one user's report as Grafana loads it (issue 12): the app's module in headless
 * Chromium on Grafana 13.2, opened from an alert link of a user's leg (`?leg=serve-alice&user=alice`), the
 * attribution datasource's data proxy in front of a probe stand-in answering with the engine's verdict for
 * that user and its topology (the User field's list). Saves the probe's section of it as
 * artifacts/screenshots/triage-user-alice.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IDS } from '../../src/shared/testIds';
import { openPage, screenshot, type Harness, type HarnessPage } from './harness';
import { startUserStack, type UserStack } from './userStack';
import { DEFAULT_PROBE_UID } from '../../src/constants';
import { FROM, TO } from './promFrames';

describe('the triage page for one user, from an alert link of their leg (Grafana 13.2)', () => {
  let stack: UserStack;
  let harness: Harness;
  let view: HarnessPage;

  beforeAll(async () => {
    stack = await startUserStack('alice');
    harness = stack.harness;
    view = await openPage(
      harness,
      `/a/t3-dropattribution-app/triage?from=${FROM}&to=${TO}&leg=serve-alice&user=alice`,
      {
        width: 1280,
        height: 1400,
      }
    );
    await view.renderApp('dark');
  });

  afterAll(async () => {
    await stack?.close();
  });

  it("shows the probe's verdict for alice, her own instance blamed, the leg accepted, user= sent", async () => {
    const section = view.page.getByTestId(TEST_IDS.triageProbe);
    const shown = section.getByTestId(TEST_IDS.verdict);
    await expect.poll(() => shown.getAttribute('data-verdict'), { timeout: 10_000 }).toBe('incident');
    expect(await shown.textContent()).toContain("alice's t3 serve instance (serve.alice)");
    expect(await section.getByTestId(TEST_IDS.segment('serve.alice')).getAttribute('data-state')).toBe('suspect');
    expect(await view.page.getByTestId(TEST_IDS.triageErrors).count()).toBe(0);
    expect(await view.page.getByTestId(TEST_IDS.triageWindow).textContent()).toContain(
      '— leg serve-alice — user alice'
    );
    const asked = harness.proxyLog.filter((e) => e.uid === DEFAULT_PROBE_UID && e.path.includes('/api/v1/attribution'));
    expect(asked.map((e) => new URL(e.target).searchParams.get('user'))).toEqual(['alice']);
    // The probe's section alone: this page has no Prometheus behind it (app.int.test.ts has the whole page).
    await screenshot(section, 'triage-user-alice');
  });
});
