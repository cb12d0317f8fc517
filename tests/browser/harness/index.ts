/**
 * Grafana emulation for browser tests: `startHarness()` builds the plugin if needed, bundles Grafana's
 * shared modules, starts the stand-in server on 127.0.0.1 and headless Chromium; `openPage()` opens a
 * Grafana URL and records everything that went wrong on it (console errors, uncaught exceptions, HTTP
 * errors, failed requests); `screenshot()` saves to artifacts/screenshots/ (`npm run screenshots` copies
 * the README's pictures from there to docs/screenshots/). Close the harness in afterAll.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DIST, ensurePluginBuilt } from '../../plugin/build';
import type { QueryInput, RenderPanelInput, RenderResult, ThemeMode, TimeRangeMs } from './api';
import { buildSharedBundle } from './bundle';
import type { HarnessDatasource, ProxyLogEntry } from './dataProxy';
import { DEFAULT_VERSION, type EmulatedVersion, type SharedModule } from './grafanaVersions';
import { startServer, type AppSettings } from './server';

export type { HarnessDatasource } from './dataProxy';
export { PLUGIN_CDN_BASE } from './server';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** Never a tracked folder: tests leave the tree as they found it. */
export const SCREENSHOT_DIR = path.join(ROOT, 'artifacts/screenshots');
/** Grafana's default `[dataproxy] timeout`. */
const PROXY_TIMEOUT_MS = 30_000;

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

interface HarnessOptions {
  /** The Grafana version emulated (its shared modules, React and frontend packages); default 13.2.3. */
  grafana?: EmulatedVersion;
  /** The built plugin to serve; default the repository's dist/, built if stale. */
  dist?: string;
  datasources?: HarnessDatasource[];
  /** `enabled: false` starts with the app disabled: its panel and datasource are then absent. */
  appSettings?: Partial<AppSettings>;
  /** The data proxy's timeout (Grafana's default 30 s), shorter for tests of a probe that never answers. */
  proxyTimeoutMs?: number;
  /** Dashboard variables for the template stand-in, e.g. { leg: 'cloudflare' }. */
  variables?: Record<string, string>;
}

export interface Harness {
  url: string;
  grafana: EmulatedVersion;
  /** The shared module names registered in the page (the version's list) and the package versions bundled. */
  sharedModules: { registered: SharedModule[]; versions: Record<string, string> };
  proxyLog: ProxyLogEntry[];
  /** Paths the server answered 404. */
  notFound: string[];
  appSettings: AppSettings;
  browser: Browser;
  close(): Promise<void>;
}

export interface HarnessPage {
  page: Page;
  /** Console errors, uncaught exceptions, HTTP ≥ 400 answers and failed requests, in order. */
  problems: string[];
  renderPanel(input: RenderPanelInput): Promise<RenderResult>;
  renderApp(theme?: ThemeMode): Promise<void>;
  query(uid: string, input: QueryInput): ReturnType<Window['__t3']['query']>;
  testDatasource(uid: string): ReturnType<Window['__t3']['testDatasource']>;
  annotations(
    uid: string,
    annotation: Record<string, unknown>,
    range: TimeRangeMs
  ): ReturnType<Window['__t3']['annotations']>;
  metricFindQuery(uid: string, query: unknown, range: TimeRangeMs): ReturnType<Window['__t3']['metricFindQuery']>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  if (options.dist === undefined) {
    ensurePluginBuilt();
  }
  const bundle = await buildSharedBundle(options.grafana ?? DEFAULT_VERSION);
  const appSettings: AppSettings = { enabled: true, jsonData: {}, secureJsonData: {}, ...options.appSettings };
  const server = await startServer({
    dist: options.dist ?? DIST,
    bundle,
    datasources: options.datasources ?? [],
    appSettings,
    variables: options.variables ?? {},
    proxyTimeoutMs: options.proxyTimeoutMs ?? PROXY_TIMEOUT_MS,
  });
  let browser: Browser;
  try {
    // playwright's launch() gives Chromium a fresh --user-data-dir of its own and deletes it on close.
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, timeout: 60_000 });
  } catch (error) {
    server.server.close();
    throw error;
  }
  return {
    url: server.url,
    grafana: bundle.grafana,
    sharedModules: { registered: bundle.registered, versions: bundle.versions },
    proxyLog: server.proxyLog,
    notFound: server.notFound,
    appSettings: server.appSettings,
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      server.server.closeAllConnections();
      await new Promise<void>((resolve) => server.server.close(() => resolve()));
    },
  };
}

/** Opens `pathAndQuery` (e.g. `/a/t3-dropattribution-app/triage?time=…`) and waits for the harness API. */
export async function openPage(
  harness: Harness,
  pathAndQuery = '/',
  viewport = { width: 1280, height: 900 }
): Promise<HarnessPage> {
  const context = await harness.browser.newContext({ viewport, deviceScaleFactor: 1, timezoneId: 'UTC' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(`console error: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) {
      problems.push(`HTTP ${response.status()} ${response.url()}`);
    }
  });
  page.on('requestfailed', (request) => {
    const error = request.failure()?.errorText ?? '';
    // Cancelled on purpose (an unsubscribed fetch, an icon whose element left the DOM): not a fault.
    if (error === 'net::ERR_ABORTED') {
      return;
    }
    problems.push(`request failed: ${request.url()} ${error}`);
  });
  await page.goto(harness.url + pathAndQuery, { waitUntil: 'load', timeout: 60_000 });
  await page.waitForFunction(() => window.__t3 !== undefined, undefined, { timeout: 30_000 });
  return {
    page,
    problems,
    renderPanel: (input) => page.evaluate((i) => window.__t3.renderPanel(i), input),
    renderApp: (theme = 'dark') => page.evaluate((t) => window.__t3.renderApp(t), theme),
    query: (uid, input) => page.evaluate(([u, i]) => window.__t3.query(u, i), [uid, input] as const),
    testDatasource: (uid) => page.evaluate((u) => window.__t3.testDatasource(u), uid),
    annotations: (uid, annotation, range) =>
      page.evaluate(([u, a, r]) => window.__t3.annotations(u, a, r), [uid, annotation, range] as const),
    metricFindQuery: (uid, query, range) =>
      page.evaluate(([u, q, r]) => window.__t3.metricFindQuery(u, q, r), [uid, query, range] as const),
  };
}

/** Saves a PNG of the page (or of one element) as artifacts/screenshots/<name>.png and returns its path. */
export async function screenshot(target: Page | ReturnType<Page['locator']>, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // Icons arrive by fetch after React commits; let them land so the picture shows what a person sees.
  const page = 'context' in target ? target : target.page();
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
  await target.screenshot({ path: file });
  return file;
}
