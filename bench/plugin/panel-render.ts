/**
 * The plugin's numbers (issue 4), in headless Chromium through the Grafana harness:
 * - panel render, frames → DOM, for 30 days and 1,000 incidents (see month.ts for what that means);
 * - the datasource with 1,000 incidents: query → annotations, and the incidents page listing them;
 * - the triage page's first verdict with the probe and Prometheus on loopback (triage.ts);
 * - the module.js sizes, gzipped.
 *
 * From bench/run.ts: `plugin: (o) => pluginBench({ quick: o.quick }, log)`. On its own:
 *   node --import tsx bench/plugin/panel-render.ts [--quick]
 */
import { pathToFileURL } from 'node:url';
import { openPage, startHarness, type HarnessPage } from '../../tests/browser/harness';
import { fakeIncidentsAnswer, fakeRoutes } from '../../src/shared/probe-api/fakes';
import { startFakeProbe } from '../../tests/browser/fakeProbe';
import { ensurePluginBuilt } from '../../tests/plugin/build';
import { markdownTable, writeResult, type BenchResult, type Row } from '../report';
import { max, median, ms, quantile } from '../stats';
import { moduleSizes } from './moduleSizes';
import { INCIDENTS, MONTH_MS, monthIncidents, monthPanelFrames } from './month';
import { triageFirstVerdict } from './triage';
import { TEST_IDS } from '../../src/shared/testIds';
import { APP_BASE_URL, DEFAULT_PROBE_UID } from '../../src/constants';
import { probeDatasource } from '../../tests/browser/appDatasources';
import { TO } from '../../src/test/clock';

/** A full-width panel on a 1920-pixel screen; Grafana asks Prometheus for about one point per pixel. */
const PANEL = { width: 1800, height: 900 };
const FROM = TO - MONTH_MS;

/** The step Grafana's query runner gives a range query for this range and width (its own rangeUtil). */
async function grafanaStepMs(view: HarnessPage): Promise<number> {
  return view.page.evaluate(
    ([from, to, width]) => {
      const system = (globalThis as unknown as { System: { get(id: string): Record<string, unknown> } }).System;
      const data = system.get('grafana-shared:@grafana/data') as {
        rangeUtil: { calculateInterval(range: unknown, resolution: number): { intervalMs: number } };
        dateTime(ms: number): unknown;
      };
      const range = { from: data.dateTime(from), to: data.dateTime(to), raw: { from: 'now-30d', to: 'now' } };
      return data.rangeUtil.calculateInterval(range, width).intervalMs;
    },
    [FROM, TO, PANEL.width] as const
  );
}

async function panelRender(view: HarnessPage, runs: number, log: (line: string) => void) {
  const stepMs = await grafanaStepMs(view);
  const frames = monthPanelFrames(FROM, stepMs);
  const points = frames.reduce((n, f) => n + (f.fields[0]?.values?.length ?? 0), 0);
  log(`panel: ${frames.length} frames, ${points} samples, connected step ${stepMs / 60_000} min`);
  const input = { frames, theme: 'dark' as const, ...PANEL, timeRange: { from: FROM, to: TO } };
  for (let i = 0; i < 5; i++) {
    await view.renderPanel(input); // warm-up: module load, JIT, style injection
  }
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    samples.push((await view.renderPanel(input)).renderMs);
  }
  const verdict = await view.page.getByTestId(TEST_IDS.verdict).getAttribute('data-verdict');
  if (verdict !== 'incident') {
    throw new Error(`the month's panel should show an incident verdict, shows ${verdict}`);
  }
  return { stepMs, frames: frames.length, points, samples };
}

/** The datasource's incidents query turned into annotations, and the incidents page, for 1,000 incidents. */
async function incidentsAtScale(runs: number, log: (line: string) => void) {
  const incidents = monthIncidents(FROM);
  const probe = await startFakeProbe(fakeRoutes({ '/api/v1/incidents': fakeIncidentsAnswer(incidents) }));
  const harness = await startHarness({
    datasources: [probeDatasource(probe.url)],
  });
  const annotationMs: number[] = [];
  const pageMs: number[] = [];
  try {
    const view = await openPage(harness, '/');
    for (let i = 0; i < runs + 2; i++) {
      const start = performance.now();
      const got = await view.annotations(DEFAULT_PROBE_UID, { name: 't3 drops', enable: true }, { from: FROM, to: TO });
      if (got.length !== INCIDENTS) {
        throw new Error(`expected ${INCIDENTS} annotations, got ${got.length}`);
      }
      if (i >= 2) {
        annotationMs.push(performance.now() - start);
      }
    }
    await view.page.context().close();
    for (let i = 0; i < Math.max(3, Math.round(runs / 4)); i++) {
      const page = await openPage(harness, `${APP_BASE_URL}/incidents?from=${FROM}&to=${TO}`, {
        width: 1280,
        height: 900,
      });
      const start = performance.now();
      await page.renderApp('dark');
      await page.page
        .locator(`[data-testid="${TEST_IDS.incidentTable}"] tbody tr`)
        .nth(INCIDENTS - 1)
        .waitFor({ timeout: 20_000 });
      pageMs.push(performance.now() - start);
      if (page.problems.length > 0) {
        throw new Error(`incidents page problems: ${page.problems.join('; ')}`);
      }
      await page.page.context().close();
    }
    log(
      `datasource: ${INCIDENTS} incidents → annotations median ${ms(median(annotationMs))}; page ${ms(median(pageMs))}`
    );
  } finally {
    await harness.close();
    await probe.close();
  }
  return { annotationMs, pageMs };
}

export async function pluginBench(opts: { quick: boolean }, log: (line: string) => void): Promise<BenchResult> {
  const rows: Row[] = [];
  const row = (measure: string, result: string, target: string, pass: boolean | null) =>
    rows.push({ benchmark: 'plugin', measure, result, target, pass });

  ensurePluginBuilt(); // sizes of what the harness will load, not of a stale dist/
  const sizes = moduleSizes();
  const gzipTotal = sizes.reduce((n, s) => n + s.gzipBytes, 0);
  row(
    'module.js gzipped, total (app + panel + datasource)',
    `${(gzipTotal / 1024).toFixed(1)} KB (${sizes.map((s) => `${s.file} ${(s.gzipBytes / 1024).toFixed(1)}`).join(', ')})`,
    '≤ 250 KB',
    gzipTotal <= 250 * 1024
  );

  const harness = await startHarness();
  let panel: Awaited<ReturnType<typeof panelRender>>;
  try {
    const view = await openPage(harness, '/', { width: 1920, height: 1080 });
    panel = await panelRender(view, opts.quick ? 20 : 200, log);
    if (view.problems.length > 0) {
      throw new Error(`panel page problems: ${view.problems.join('; ')}`);
    }
  } finally {
    await harness.close();
  }
  const panelMedian = median(panel.samples);
  row(
    `panel render, 30 d (step ${panel.stepMs / 60_000} min, ${panel.points} samples) + ${INCIDENTS} incidents, median`,
    ms(panelMedian, 1),
    '≤ 50 ms',
    panelMedian <= 50
  );
  row('panel render, p95', ms(quantile(panel.samples, 0.95), 1), '—', null);

  const ds = await incidentsAtScale(opts.quick ? 5 : 20, log);
  row(`datasource: ${INCIDENTS} incidents → annotations, median`, ms(median(ds.annotationMs), 1), '—', null);
  row('datasource: same, p95', ms(quantile(ds.annotationMs, 0.95), 1), '—', null);
  row(`incidents page listing ${INCIDENTS}, median`, ms(median(ds.pageMs)), '—', null);

  const triage = await triageFirstVerdict(opts.quick ? 3 : 10, log);
  const triageMedian = median(triage.fromAppStartMs);
  row('triage first verdict after app start, median', ms(triageMedian), '≤ 1 s', triageMedian <= 1000);
  row('triage first verdict, max', ms(max(triage.fromAppStartMs)), '≤ 1 s', max(triage.fromAppStartMs) <= 1000);
  row('triage first verdict from navigation start, median', ms(median(triage.fromNavigationMs)), '—', null);
  row('triage both verdicts after app start, median', ms(median(triage.bothVerdictsMs)), '—', null);

  return { rows, details: { sizes, panel, datasource: ds, triage } };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const startedAt = Date.now();
  const log = (line: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  pluginBench({ quick: process.argv.includes('--quick') }, log).then(
    (result) => {
      for (const r of result.rows) {
        log(`${r.measure}: ${r.result} (target ${r.target})${r.pass === false ? ' MISSED' : ''}`);
      }
      log(`wrote ${writeResult('plugin', result, startedAt)}`);
      process.stdout.write(`\n${markdownTable(result.rows)}\n`);
      process.exit(result.rows.some((r) => r.pass === false) ? 1 : 0);
    },
    (err: unknown) => {
      process.stderr.write(`plugin bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    }
  );
}
