/**
 * The app's pages end to end from URLs, as an on-call person arrives from an alert link: the real lab,
 * probe, node_exporter and Prometheus; the Cloudflare-side tunnel relay killed and restarted; the pages
 * built from dist/module.js in the Grafana harness, reaching the probe and Prometheus only through the
 * data proxy stand-in. Saves the README's triage screenshot (to artifacts/screenshots/).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../../lab/wait';
import { openPage, screenshot, startHarness, type Harness, type HarnessPage } from './harness';
import { stackDatasources, startStack, type Stack } from './stack';
import { TEST_IDS } from '../../src/shared/testIds';
import { APP_BASE_URL } from '../../src/constants';

let stack: Stack;
let harness: Harness;
let view: HarnessPage;
let from: number;
let to: number;
let firstVerdictMs: number;

/** Prometheus's range queries step 15 s: the window needs a few steps of data on both sides of the fault. */
const QUIET_MS = 16_000;
const WINDOW_MS = 40_000;

beforeAll(async () => {
  stack = await startStack();
  await waitFor(async () => (await stack.query('t3probe_connected == 1')).length === 3, {
    timeoutMs: 30_000,
    intervalMs: 250,
    what: 'all three legs connected and scraped',
  });
  // The window starts once every leg is up: earlier, the probe had no data, and the verdict would rightly say so.
  from = Date.now();
  await sleep(QUIET_MS);
  await stack.lab.kill('tunnel');
  await waitFor(async () => (await stack.query('t3probe_connected{leg="cloudflare"} == 0')).length === 1, {
    timeoutMs: 20_000,
    intervalMs: 250,
    what: 'Prometheus seeing the cloudflare leg down',
  });
  await stack.lab.restart('tunnel');
  await waitFor(async () => (await stack.query('t3probe_connected == 1')).length === 3, {
    timeoutMs: 30_000,
    intervalMs: 250,
    what: 'the cloudflare leg back up',
  });
  await sleep(Math.max(0, from + WINDOW_MS - Date.now()));
  // A window that ends in the past: for a future end the probe rightly cannot vouch for the legs yet.
  to = Date.now() - 1_000;

  harness = await startHarness({ datasources: stackDatasources(stack) });
  view = await openPage(harness, `${APP_BASE_URL}/triage?from=${from}&to=${to}`, {
    width: 1280,
    height: 1600,
  });
  const start = Date.now();
  await view.renderApp('dark');
  await view.page.getByTestId(TEST_IDS.verdict).first().waitFor({ timeout: 10_000 });
  firstVerdictMs = Date.now() - start;
}, 180_000);

afterAll(async () => {
  await harness?.close();
  await stack?.stop();
});

describe('triage page from a URL', () => {
  it('shows an infra incident with the Cloudflare-side segments suspect and Traefik onwards clear', async () => {
    console.log(`triage: first verdict ${firstVerdictMs} ms after the app began rendering`);
    const verdicts = view.page.getByTestId(TEST_IDS.verdict);
    await expect.poll(() => verdicts.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    for (const verdict of await verdicts.all()) {
      expect(await verdict.getAttribute('data-verdict')).toBe('incident');
    }
    for (const [segment, state] of [
      ['tunnel', 'suspect'],
      ['traefik', 'clear'],
      ['serve', 'clear'],
      ['client', 'unmonitored'],
    ] as const) {
      const cells = await view.page.getByTestId(TEST_IDS.segment(segment)).all();
      expect(cells.length, segment).toBeGreaterThan(0);
      for (const cell of cells) {
        expect(await cell.getAttribute('data-state'), segment).toBe(state);
      }
    }
    // Prometheus scrapes the probe and node_exporter as devvm: nothing is missing, PSI included, however
    // short the window (its minute-stepped subquery alone can find no point in one).
    expect(await view.page.locator('#root').innerText()).not.toContain('Missing data');
  });

  it('fills in the log recipe for the exact UTC window', async () => {
    const text = await view.page.locator('#root').innerText();
    expect(text).toContain('journalctl');
    expect(text).toContain(new Date(from).toISOString().slice(0, 10));
  });

  it('reached the probe and Prometheus only through the data proxy, with no error on the page', async () => {
    await screenshot(view.page, 'triage');
    const targets = new Set(harness.proxyLog.map((entry) => entry.uid));
    expect(targets).toEqual(new Set(['t3-attribution', 't3-prometheus']));
    expect(harness.proxyLog.filter((entry) => entry.status !== 200)).toEqual([]);
    expect(harness.notFound).toEqual([]);
    expect(view.problems).toEqual([]);
  });
});

describe('incidents page', () => {
  it('lists the incident with its leg and links to its triage, which opens in place', async () => {
    const page = await openPage(harness, `${APP_BASE_URL}/incidents?from=${from}&to=${to}`);
    await page.renderApp('dark');
    const table = page.page.getByTestId(TEST_IDS.incidentTable);
    await table.waitFor({ timeout: 10_000 });
    expect(await table.innerText()).toContain('cloudflare');
    const link = table.locator(`a[href*="${APP_BASE_URL}/triage?"]`).first();
    await link.click();
    await page.page.getByTestId(TEST_IDS.verdict).first().waitFor({ timeout: 10_000 });
    expect(new URL(page.page.url()).pathname).toBe(`${APP_BASE_URL}/triage`);
    expect(await page.page.getByTestId(TEST_IDS.verdict).first().getAttribute('data-verdict')).toBe('incident');
    expect(page.problems).toEqual([]);
    await page.page.context().close();
  });
});

describe('configuration page', () => {
  it('saves the settings to /api/plugins/<app id>/settings', async () => {
    const page = await openPage(harness, `${APP_BASE_URL}/configuration`);
    await page.renderApp('dark');
    await page.page.locator('#t3-config-instance').fill('devvm-2');
    await page.page.getByRole('button', { name: 'Save settings' }).click();
    await page.page.getByRole('status').waitFor({ timeout: 10_000 });
    expect(harness.appSettings.jsonData).toMatchObject({ devvmInstance: 'devvm-2', prometheusUid: 't3-prometheus' });
    expect(page.problems).toEqual([]);
    await page.page.context().close();
  });
});

describe('on Grafana 12.3, the oldest version plugin.json admits (React 18)', () => {
  it('the same triage URL gives the same verdict', async () => {
    const grafana12 = await startHarness({ grafana: '12.3.0', datasources: stackDatasources(stack) });
    try {
      const page = await openPage(grafana12, `${APP_BASE_URL}/triage?from=${from}&to=${to}`);
      await page.renderApp('light');
      const verdicts = page.page.getByTestId(TEST_IDS.verdict);
      await expect.poll(() => verdicts.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      for (const verdict of await verdicts.all()) {
        expect(await verdict.getAttribute('data-verdict')).toBe('incident');
      }
      for (const cell of await page.page.getByTestId(TEST_IDS.segment('tunnel')).all()) {
        expect(await cell.getAttribute('data-state')).toBe('suspect');
      }
      expect(grafana12.notFound).toEqual([]);
      expect(page.problems).toEqual([]);
    } finally {
      await grafana12.close();
    }
  });
});
