/**
 * The datasource plugin as Grafana runs it: dist/datasource/module.js in headless Chromium, its requests
 * through the data proxy stand-in (plugin.json `routes`, token injected on the server side) to the real
 * probe, whose only leg points at a closed port so it records a real incident. Runs on Grafana 13.2
 * (React 19) and 12.3, the oldest version plugin.json admits (React 18).
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProbe, type FakeProbe } from './fakeProbe';
import { probeDatasource } from './appDatasources';
import { DEFAULT_PROBE_UID } from '../../src/constants';
import { openPage, startHarness, type Harness, type HarnessPage } from './harness';
import { startScratchProbe, type ScratchProbe } from '../../lab/drive/probe-process';

const TOKEN = 'harness-token-7f3a9c';
const OK = DEFAULT_PROBE_UID;
const WRONG_TOKEN = 't3-attribution-wrong-token';
const DEAD = 't3-attribution-dead';
const HUNG = 't3-attribution-hung';
/** The data proxy's timeout here (Grafana's default is 30 s). */
const PROXY_TIMEOUT_MS = 2_000;

let probe: ScratchProbe;
let hungProbe: FakeProbe;
let deadPort: number;

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const range = () => ({ from: Date.now() - 10 * 60_000, to: Date.now() });

beforeAll(async () => {
  deadPort = await closedPort();
  hungProbe = await startFakeProbe({ '/api/v1/legs': 'hang' });
  probe = await startScratchProbe(
    `listen: 127.0.0.1:0
dataDir: ./data
api: { tokenFile: ./token }
legs:
  - name: t3serve
    type: http
    url: http://127.0.0.1:${deadPort}/.well-known/t3/environment
    interval: 1s
    timeout: 1s
    segments: [devvm-net, serve]
`,
    TOKEN
  );
});

afterAll(async () => {
  await probe?.stop();
  await hungProbe?.close();
});

describe.each(['13.2.3', '12.3.0'] as const)(
  'datasource plugin through the data proxy stand-in, Grafana %s',
  (grafana) => {
    let harness: Harness;
    let view: HarnessPage;
    const browserAuthHeaders: string[] = [];

    beforeAll(async () => {
      harness = await startHarness({
        grafana,
        datasources: [
          probeDatasource(probe.url, { secureJsonData: { apiToken: TOKEN }, isDefault: true }),
          probeDatasource(probe.url, {
            uid: WRONG_TOKEN,
            name: 't3 probe (wrong token)',
            secureJsonData: { apiToken: 'not-the-token' },
          }),
          probeDatasource(`http://127.0.0.1:${deadPort}`, {
            uid: DEAD,
            name: 't3 probe (down)',
            secureJsonData: { apiToken: TOKEN },
          }),
          probeDatasource(hungProbe.url, { uid: HUNG, name: 't3 probe (hung)' }),
        ],
        proxyTimeoutMs: PROXY_TIMEOUT_MS,
      });
      view = await openPage(harness, '/');
      view.page.on('request', (request) => {
        const auth = request.headers()['authorization'];
        if (auth !== undefined) {
          browserAuthHeaders.push(auth);
        }
      });
    });

    afterAll(async () => {
      await harness?.close();
    });

    it('health check reports the probe version and its legs', async () => {
      const result = await view.testDatasource(OK);
      expect(result.status).toBe('success');
      expect(result.message).toMatch(/0\.1\.0/);
      expect(result.message).toContain('t3serve');
    });

    it('health check fails, saying so, with a wrong token or a probe that is down', async () => {
      // The probe answers 401; Grafana's data proxy passes that on as a 400 with its own text.
      const wrong = await view.testDatasource(WRONG_TOKEN);
      expect(wrong).toEqual({
        status: 'error',
        message: `/api/v1/legs: the probe refused the datasource's API token: set it in the datasource settings (Grafana's data proxy: 400 "Authentication to data source failed")`,
      });
      expect(harness.proxyLog.filter((e) => e.uid === WRONG_TOKEN).map((e) => e.status)).toEqual([400]);
      const dead = await view.testDatasource(DEAD);
      expect(dead.message).toBe(
        "/api/v1/legs: the probe is unreachable from Grafana's server (502 Bad Gateway): check the URL in the datasource settings and that the probe is running"
      );
      expect(dead.status).toBe('error');
      const hung = await view.testDatasource(HUNG);
      expect(hung.message).toBe(
        "/api/v1/legs: the probe did not answer Grafana's server in time (504 Gateway Timeout): is it overloaded or stalled?"
      );
    });

    it("the proxy stand-in answers as Grafana's: 400 with Grafana's text for a 401, empty 502 and 504", async () => {
      const get = async (uid: string) => {
        const response = await fetch(`${harness.url}/api/datasources/proxy/uid/${uid}/probe/api/v1/legs`);
        return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
      };
      expect(await get(WRONG_TOKEN)).toEqual({
        status: 400,
        type: 'text/plain; charset=utf-8',
        body: 'Authentication to data source failed',
      });
      expect(await get(DEAD)).toMatchObject({ status: 502, body: '' });
      const started = Date.now();
      expect(await get(HUNG)).toMatchObject({ status: 504, body: '' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(PROXY_TIMEOUT_MS - 100);
    });

    it('queries the incident the probe recorded for the dead leg, as a frame with its suspects', async () => {
      let incidents: Awaited<ReturnType<HarnessPage['query']>> | undefined;
      await expect
        .poll(
          async () => {
            incidents = await view.query(OK, {
              targets: [{ refId: 'A', queryType: 'incidents' } as never],
              range: range(),
            });
            return incidents.data[0]?.data?.values[0]?.length ?? 0;
          },
          { timeout: 15_000, interval: 500 }
        )
        .toBeGreaterThan(0);
      const frame = incidents!.data[0]!;
      const column = (name: string) => frame.data!.values[frame.schema!.fields.findIndex((f) => f.name === name)]!;
      expect(column('legs')[0]).toContain('t3serve');
      expect(String(column('suspects')[0])).toMatch(/serve/);
    });

    it('turns incidents into annotations tagged with legs and suspects', async () => {
      const events = await view.annotations(OK, {}, range());
      expect(events.length).toBeGreaterThan(0);
      const [first] = events;
      expect(first!.tags).toEqual(expect.arrayContaining(['t3serve', 'serve']));
      expect(first!.title).toBeTruthy();
      expect(first!.time).toBeLessThanOrEqual(first!.timeEnd ?? first!.time);
    });

    it('answers variable queries for legs', async () => {
      const legs = await view.metricFindQuery(OK, { query: 'legs' }, range());
      expect(legs.map((l) => l.text)).toEqual(['t3serve']);
    });

    it('the token is injected by the proxy only: never in the page, its boot data or any browser request', async () => {
      const toProbe = harness.proxyLog.filter((e) => e.uid === OK && e.status === 200);
      expect(toProbe.length).toBeGreaterThan(0);
      for (const entry of toProbe) {
        expect(entry.injected).toEqual(['Authorization']);
      }
      expect(browserAuthHeaders).toEqual([]);
      const page = await view.page.evaluate(
        () => document.documentElement.outerHTML + JSON.stringify(window.grafanaBootData)
      );
      expect(page).not.toContain(TOKEN);
      const urls = await view.page.evaluate(() => window.__t3.requests.map((r) => r.url));
      for (const url of urls) {
        expect(url).not.toContain(TOKEN);
      }
      expect(urls.every((url) => new URL(url).pathname.startsWith('/api/datasources/proxy/uid/'))).toBe(true);
    });

    it('loaded everything without an unexpected 404 or console error (the expected 400/502 answers aside)', () => {
      expect(harness.notFound).toEqual([]);
      const unexpected = view.problems.filter(
        (p) =>
          !/HTTP (400|502|504) .*\/api\/datasources\/proxy\/uid\/t3-attribution-(wrong-token|dead|hung)\//.test(p) &&
          !/status of (400|502|504)/.test(p)
      );
      expect(unexpected).toEqual([]);
    });
  }
);
