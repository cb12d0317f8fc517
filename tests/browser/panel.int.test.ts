/**
 * The panel as Grafana loads it: dist/panel/module.js through SystemJS in headless Chromium, Grafana's
 * shared modules from the real packages, props as a dashboard gives them — on Grafana 13.2 (React 19)
 * and 12.3, the oldest version plugin.json admits (React 18). Saves the README's screenshots (to
 * artifacts/screenshots/) from the 13.2 run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FROM, panelAnswers, TO } from './promFrames';
import { openPage, screenshot, startHarness, type Harness, type HarnessPage } from './harness';
import type { RenderPanelInput, ThemeMode } from './harness/api';
import { TEST_IDS } from '../../src/shared/testIds';
import { GRAFANA_SHARED_MODULES } from '../../.config/grafanaShared';
import { APP_ID } from '../../src/constants';

const SEGMENTS = ['client', 'wan', 'cf-edge', 'tunnel', 'traefik', 'devvm-net', 'dispatch', 'serve', 'probe'];
const PANEL_MODULE = `/public/plugins/${APP_ID}/panel/module.js`;

const input = (frames: RenderPanelInput['frames'], theme: ThemeMode = 'dark'): RenderPanelInput => ({
  frames,
  theme,
  width: 1100,
  height: 620,
  timeRange: { from: FROM, to: TO },
});

async function segmentStates(view: HarnessPage): Promise<Record<string, string | null>> {
  const entries = await Promise.all(
    SEGMENTS.map(
      async (id) => [id, await view.page.getByTestId(TEST_IDS.segment(id)).getAttribute('data-state')] as const
    )
  );
  return Object.fromEntries(entries);
}

describe.each([
  { grafana: '13.2.3', react: '19.', packages: '13.' },
  { grafana: '12.3.0', react: '18.', packages: '12.' },
] as const)('panel plugin in the Grafana $grafana harness', ({ grafana, react, packages }) => {
  let harness: Harness;
  let view: HarnessPage;

  beforeAll(async () => {
    harness = await startHarness({ grafana });
    view = await openPage(harness, '/d/t3-drop-attribution', { width: 1140, height: 660 });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("the page offers the real Grafana packages as shared modules, and Grafana's two routers", async () => {
    // Every module the build leaves for Grafana to provide.
    for (const name of GRAFANA_SHARED_MODULES) {
      expect(harness.sharedModules.registered).toContain(name);
    }
    expect(harness.sharedModules.versions['@grafana/ui']?.startsWith(packages)).toBe(true);
    const routers = await view.page.evaluate(() => {
      const system = (globalThis as unknown as { System: { get(id: string): Record<string, unknown> } }).System;
      const router = system.get('grafana-shared:react-router');
      const routerDom = system.get('grafana-shared:react-router-dom');
      return {
        compat: 'CompatRouter' in router,
        dataRouterInternals: 'UNSAFE_mapRouteProperties' in router,
        v5: 'Switch' in routerDom && !('Routes' in routerDom),
      };
    });
    // `react-router` is react-router-dom-v5-compat, `react-router-dom` is v5, as in Grafana.
    expect(routers).toEqual({ compat: true, dataRouterInternals: false, v5: true });
  });

  it(`runs the panel on React ${react}x, the one Grafana ${grafana} ships`, async () => {
    const version = await view.page.evaluate(
      () =>
        (globalThis as unknown as { System: { get(id: string): { version: string } } }).System.get(
          'grafana-shared:react'
        ).version
    );
    expect(version.startsWith(react)).toBe(true);
  });

  it.each(['dark', 'light'] as const)(
    'renders a Cloudflare-side drop in the %s theme: Cloudflare segments suspect, the rest clear',
    async (theme) => {
      const frames = panelAnswers({ cloudflare: { drops: { heartbeat_timeout: 3 }, connected: [1, 0, 1] } });
      const result = await view.renderPanel(input(frames, theme));
      expect(result.renderMs).toBeGreaterThan(0);

      await expect.poll(() => view.page.getByTestId(TEST_IDS.verdict).getAttribute('data-verdict')).toBe('incident');
      expect(await segmentStates(view)).toEqual({
        client: 'unmonitored',
        wan: 'suspect',
        'cf-edge': 'suspect',
        tunnel: 'suspect',
        traefik: 'clear',
        'devvm-net': 'clear',
        dispatch: 'clear',
        serve: 'clear',
        probe: 'clear',
      });
      // The theme really reached the plugin: its text is light on dark and dark on light.
      const textLuminance = await view.page.getByTestId(TEST_IDS.panel).evaluate((el) => {
        const [r, g, b] = getComputedStyle(el).color.match(/\d+/g)!.map(Number);
        return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
      });
      if (theme === 'dark') {
        expect(textLuminance).toBeGreaterThan(0.6);
      } else {
        expect(textLuminance).toBeLessThan(0.4);
      }
      if (grafana === '13.2.3') {
        await screenshot(view.page, `panel-${theme}`);
      }
    }
  );

  it('loaded the panel from public/plugins/<app id>/panel/module.js with no 404, failed request or console error', async () => {
    const loaded = await view.page.evaluate(() =>
      performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)
    );
    expect(loaded).toContain(PANEL_MODULE);
    expect(harness.notFound).toEqual([]);
    expect(view.problems).toEqual([]);
  });

  it('never exonerates without data: no frames at all give an unknown verdict and unknown segments', async () => {
    await view.renderPanel(input([]));
    await expect.poll(() => view.page.getByTestId(TEST_IDS.verdict).getAttribute('data-verdict')).toBe('unknown');
    const states = await segmentStates(view);
    expect(states.client).toBe('unmonitored');
    for (const id of SEGMENTS.slice(1)) {
      expect(states[id], id).toBe('unknown');
    }
    await expect(view.page.getByTestId(TEST_IDS.missing).isVisible()).resolves.toBe(true);
  });

  it('survives garbage frames (NaN, a leg the topology lacks, a frame without fields) without a console error', async () => {
    const garbage = [
      {
        refId: 'drops',
        fields: [
          { name: 'Value', type: 'number', values: [Number.NaN], labels: { leg: 'cloudflare', reason: 'reset' } },
        ],
      },
      { refId: 'connected', fields: [{ name: 'Value', type: 'number', values: [1], labels: { leg: 'no-such-leg' } }] },
      { refId: 'rtt', fields: [] },
    ];
    await view.renderPanel(input(garbage as RenderPanelInput['frames']));
    const verdict = await view.page.getByTestId(TEST_IDS.verdict).getAttribute('data-verdict');
    expect(verdict).not.toBe('exonerated');
    expect(view.problems).toEqual([]);
  });

  it('fits a small tile: the verdict stays visible at 320×200', async () => {
    await view.renderPanel({ ...input(panelAnswers()), width: 320, height: 200 });
    await expect(view.page.getByTestId(TEST_IDS.verdict).isVisible()).resolves.toBe(true);
    expect(await view.page.getByTestId(TEST_IDS.verdict).getAttribute('data-verdict')).toBe('exonerated');
  });
});
