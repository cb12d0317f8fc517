/**
 * The datasource plugin as Grafana runs it: dist/datasource/module.js in headless Chromium, its requests
 * through the data proxy stand-in (plugin.json `routes`, token injected on the server side) to the real
 * probe, whose only leg points at a closed port so it records a real incident. Runs on Grafana 13's
 * packages (React 19) and Grafana 12's (React 18).
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, startHarness, type Harness, type HarnessPage } from './harness';
import { startProbe, type ProbeProcess } from './probeProcess';

const TOKEN = 'harness-token-7f3a9c';
const OK = 't3-attribution';
const WRONG_TOKEN = 't3-attribution-wrong-token';
const DEAD = 't3-attribution-dead';

let probe: ProbeProcess;
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
  probe = await startProbe(
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
});

describe.each([13, 12] as const)('datasource plugin through the data proxy stand-in, Grafana %i', (grafana) => {
  let harness: Harness;
  let view: HarnessPage;
  const browserAuthHeaders: string[] = [];

  beforeAll(async () => {
    const type = 't3-dropattribution-datasource';
    harness = await startHarness({
      grafana,
      datasources: [
        {
          uid: OK,
          name: 't3 probe',
          type,
          jsonData: { url: probe.url },
          secureJsonData: { apiToken: TOKEN },
          isDefault: true,
        },
        {
          uid: WRONG_TOKEN,
          name: 't3 probe (wrong token)',
          type,
          jsonData: { url: probe.url },
          secureJsonData: { apiToken: 'not-the-token' },
        },
        {
          uid: DEAD,
          name: 't3 probe (down)',
          type,
          jsonData: { url: `http://127.0.0.1:${deadPort}` },
          secureJsonData: { apiToken: TOKEN },
        },
      ],
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
    const wrong = await view.testDatasource(WRONG_TOKEN);
    expect(wrong.status).toBe('error');
    expect(wrong.message).toMatch(/401|token|unauthori[sz]ed/i);
    const dead = await view.testDatasource(DEAD);
    expect(dead.status).toBe('error');
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

  it('loaded everything without an unexpected 404 or console error (the expected 401/502 answers aside)', () => {
    expect(harness.notFound).toEqual([]);
    const unexpected = view.problems.filter(
      (p) =>
        !/HTTP (401|502) .*\/api\/datasources\/proxy\/uid\/t3-attribution-(wrong-token|dead)\//.test(p) &&
        !/status of (401|502)/.test(p)
    );
    expect(unexpected).toEqual([]);
  });
});
