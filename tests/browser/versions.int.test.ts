/**
 * The built plugin on each emulated Grafana, with exactly the modules that version shares
 * (harness/grafanaVersions.ts): every version plugin.json admits loads the app, the panel and the
 * datasource; 12.2.4, which lacks the JSX runtime, loads none of them — its loader asks for
 * /react/jsx-runtime and gets a 404, as Grafana's does. And with the app disabled the panel and the
 * datasource are absent, as Grafana leaves nested plugins of a disabled app out.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../plugin/build';
import { fakeLeg, fakeLegsAnswer, fakeRoutes } from '../../src/shared/probe-api/fakes';
import { startFakeProbe, type FakeProbe } from './fakeProbe';
import { openPage, startHarness, type Harness, type HarnessDatasource, type HarnessPage } from './harness';
import type { RenderPanelInput } from './harness/api';
import { EMULATED_VERSIONS, reactMajorOf, sharedModules } from './harness/grafanaVersions';
import { satisfies } from './harness/versionRange';
import { TEST_IDS } from '../../src/shared/testIds';
import { APP_ID, DEFAULT_PROBE_UID } from '../../src/constants';
import { probeDatasource } from './appDatasources';

const RANGE = (
  JSON.parse(readFileSync(path.join(ROOT, 'plugin.json'), 'utf8')) as {
    dependencies: { grafanaDependency: string };
  }
).dependencies.grafanaDependency;
const ADMITTED = EMULATED_VERSIONS.filter((version) => satisfies(version, RANGE));

const PANEL: RenderPanelInput = {
  frames: [],
  theme: 'dark',
  width: 800,
  height: 500,
  timeRange: { from: Date.now() - 3_600_000, to: Date.now() },
};

let probe: FakeProbe;
const datasources = (): HarnessDatasource[] => [probeDatasource(probe.url)];

/** Paths of every plugin module.js the page fetched. */
const modulesFetched = (view: HarnessPage) =>
  view.page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((entry) => new URL(entry.name).pathname)
      .filter((p) => p.endsWith('/module.js'))
  );

beforeAll(async () => {
  probe = await startFakeProbe(
    fakeRoutes({ '/api/v1/legs': fakeLegsAnswer([fakeLeg({ name: 't3serve', type: 'http' })]) })
  );
});

afterAll(async () => {
  await probe?.close();
});

it('the emulated versions include the oldest one the range admits, a late 12.x and 13.2', () => {
  expect(ADMITTED).toEqual(['12.3.0', '12.4.10', '13.2.3']);
  expect(ADMITTED.map(reactMajorOf)).toEqual([18, 18, 19]);
});

describe.each(ADMITTED)('Grafana %s', (version) => {
  let harness: Harness;
  let view: HarnessPage;

  beforeAll(async () => {
    harness = await startHarness({ grafana: version, datasources: datasources() });
    view = await openPage(harness, `/a/${APP_ID}/configuration`);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("registers exactly the version's shared modules, on its React", async () => {
    expect(harness.sharedModules.registered).toEqual(sharedModules(version));
    expect(await view.page.evaluate(() => window.__t3.sharedModules)).toEqual(sharedModules(version));
    expect(harness.sharedModules.versions.react?.startsWith(`${reactMajorOf(version)}.`)).toBe(true);
  });

  it('loads the app, the panel and the datasource with no 404 or console error', async () => {
    await view.renderApp('dark');
    await view.page.getByRole('button', { name: 'Save settings' }).waitFor({ timeout: 10_000 });
    await view.renderPanel(PANEL);
    await expect.poll(() => view.page.getByTestId(TEST_IDS.verdict).getAttribute('data-verdict')).toBe('unknown');
    const health = await view.testDatasource(DEFAULT_PROBE_UID);
    expect(health).toMatchObject({ status: 'success', message: 'probe 0.1.0, legs: t3serve (connected)' });
    expect((await modulesFetched(view)).sort()).toEqual(
      [
        `/public/plugins/${APP_ID}/module.js`,
        `/public/plugins/${APP_ID}/datasource/module.js`,
        `/public/plugins/${APP_ID}/panel/module.js`,
      ].sort()
    );
    expect(harness.notFound).toEqual([]);
    expect(view.problems).toEqual([]);
  });
});

describe('Grafana 12.2.4 (no react/jsx-runtime shared), which the range excludes', () => {
  let harness: Harness;
  let view: HarnessPage;

  beforeAll(async () => {
    expect(satisfies('12.2.4', RANGE)).toBe(false);
    harness = await startHarness({ grafana: '12.2.4', datasources: datasources() });
    view = await openPage(harness, `/a/${APP_ID}/configuration`);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('fails to load the panel, the datasource and the app: the loader asks for /react/jsx-runtime', async () => {
    expect(harness.sharedModules.registered).not.toContain('react/jsx-runtime');
    await expect(view.renderPanel(PANEL)).rejects.toThrow(/react\/jsx-runtime/);
    await expect(view.testDatasource(DEFAULT_PROBE_UID)).rejects.toThrow(/react\/jsx-runtime/);
    await expect(view.renderApp('dark')).rejects.toThrow(/react\/jsx-runtime/);
    expect(harness.notFound).toContain('/react/jsx-runtime');
  });
});

describe('the app disabled', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ datasources: datasources(), appSettings: { enabled: false } });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('leaves the panel and the datasource out, and the app refuses its pages; no module is fetched', async () => {
    const view = await openPage(harness, '/');
    await expect(view.renderPanel(PANEL)).rejects.toThrow('Panel plugin not found: t3-dropattribution-panel');
    await expect(view.testDatasource(DEFAULT_PROBE_UID)).rejects.toThrow(/not found/);
    await expect(view.renderApp('dark')).rejects.toThrow('Application Not Enabled');
    expect(await modulesFetched(view)).toEqual([]);
    await view.page.context().close();
  });

  it('once enabled (as the plugin page does: POST its settings), the next page load has both', async () => {
    const enable = await fetch(`${harness.url}/api/plugins/${APP_ID}/settings`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ enabled: true, pinned: true }),
    });
    expect(enable.status).toBe(200);
    const view = await openPage(harness, '/');
    await view.renderPanel(PANEL);
    expect((await view.testDatasource(DEFAULT_PROBE_UID)).status).toBe('success');
    expect(view.problems).toEqual([]);
    await view.page.context().close();
  });
});
