/**
 * The built plugin against hostile data in headless Chromium (issue 6, item 6): the panel fed frames with
 * missing fields, NaN/±Infinity, empty strings, 100 KB labels, markup in labels and unknown legs and
 * segments; the app's pages and the datasource fed by a probe stand-in (fakeProbe.ts) that answers with
 * markup in every string, garbage, errors, nothing, or never. Prometheus is a stand-in too, answering
 * empty results: garbage is what a real one would not give on demand.
 *
 * Each case asserts: the markup stayed text (no element injected, `window.__pwned` never set by the
 * payloads' handlers), nothing escaped (no uncaught exception or console error beyond the HTTP errors the
 * case itself caused), and the page says what went wrong, naming the query, leg or endpoint.
 */
import type { DataFrameDTO } from '@grafana/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributeWindow, buildIncidents, DEFAULT_TOPOLOGY } from '../../src/attribution';
import type { ProbeEvent } from '../../src/attribution/types';
import { fakeIncidentsAnswer, fakeTopologyAnswer } from '../../src/shared/probe-api/fakes';
import { probeDatasource, prometheusDatasource } from './appDatasources';
import { startFakeProbe, type FakeAnswer, type FakeProbe } from './fakeProbe';
import { openPage, startHarness, type Harness, type HarnessPage } from './harness';
import { FROM, panelAnswers, TO } from './promFrames';
import { TEST_IDS } from '../../src/shared/testIds';
import { APP_BASE_URL, DEFAULT_PROBE_UID } from '../../src/constants';

const XSS = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>`;
const HUGE = 'y'.repeat(100_000);
const EMPTY_VECTOR = { body: { status: 'success', data: { resultType: 'vector', result: [] } } };
const EMPTY_MATRIX = { body: { status: 'success', data: { resultType: 'matrix', result: [] } } };

/** The probe's log for the window: a Cloudflare-side reset 10 minutes in, then a drop on every leg. */
const EVENTS: ProbeEvent[] = [
  { type: 'probe_start', time: FROM - 60_000 },
  { type: 'disconnect', leg: 'cloudflare', time: FROM + 600_000, lastHeard: FROM + 599_500, reason: 'reset' },
  { type: 'reconnect', leg: 'cloudflare', time: FROM + 630_000, lastFailure: FROM + 625_000 },
  ...['cloudflare', 'internal', 't3serve'].flatMap((leg): ProbeEvent[] => [
    { type: 'disconnect', leg, time: FROM + 2_400_000, lastHeard: FROM + 2_380_000, reason: 'heartbeat_timeout' },
    { type: 'reconnect', leg, time: FROM + 2_440_000, lastFailure: FROM + 2_435_000 },
  ]),
  { type: 'probe_alive', time: TO },
];
const probeIncidents = () => buildIncidents(EVENTS, DEFAULT_TOPOLOGY, { now: TO });
const probeVerdict = () => attributeWindow({ topology: DEFAULT_TOPOLOGY, events: EVENTS, from: FROM, to: TO, now: TO });

let probe: FakeProbe;
let prometheus: FakeProbe;
let harness: Harness;
let panelView: HarnessPage;

beforeAll(async () => {
  probe = await startFakeProbe();
  // The triage and incidents pages ask the probe's topology too (its users and legs): a well-formed one here,
  // the hostile answers are the cases' own.
  probe.answer('/api/v1/topology', { body: fakeTopologyAnswer() });
  prometheus = await startFakeProbe({ '/api/v1/query': EMPTY_VECTOR, '/api/v1/query_range': EMPTY_MATRIX });
  harness = await startHarness({
    datasources: [probeDatasource(probe.url), prometheusDatasource(prometheus.url)],
  });
  panelView = await openPage(harness, '/');
}, 180_000);

afterAll(async () => {
  await harness?.close();
  await probe?.close();
  await prometheus?.close();
});

/** No payload ran and nothing was injected: the root holds no element a payload could have created. */
async function expectInert(view: HarnessPage): Promise<void> {
  expect(await view.page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(await view.page.locator('#root img, #root script, #root iframe, #root object').count()).toBe(0);
}

/** The page's problems, less the HTTP errors the case caused on purpose (and Chromium's console line for each). */
function unexpected(view: HarnessPage, expectedStatus?: number): string[] {
  return view.problems.filter(
    (p) =>
      expectedStatus === undefined ||
      !(
        p.startsWith(`HTTP ${expectedStatus} `) || p.includes(`the server responded with a status of ${expectedStatus}`)
      )
  );
}

const renderPanel = (frames: DataFrameDTO[]) =>
  panelView.renderPanel({ frames, theme: 'dark', width: 900, height: 700, timeRange: { from: FROM, to: TO } });

describe('the panel on hostile frames', () => {
  it('markup, 100 KB and empty labels, unknown legs and segments: rendered as text, each named', async () => {
    const frames: DataFrameDTO[] = [
      ...panelAnswers(),
      {
        refId: 'drops',
        fields: [{ name: 'Value', type: 'number' as never, values: [1], labels: { leg: XSS, reason: 'reset' } }],
      },
      {
        refId: 'drops',
        fields: [{ name: 'Value', type: 'number' as never, values: [2], labels: { leg: 'cloudflare', reason: XSS } }],
      },
      { refId: 'rtt', fields: [{ name: 'Value', type: 'number' as never, values: [0.1], labels: { leg: HUGE } }] },
      { refId: 'slow', fields: [{ name: 'Value', type: 'number' as never, values: [1], labels: { leg: '' } }] },
      {
        refId: 'incidents',
        fields: [{ name: 'Value', type: 'number' as never, values: [3], labels: { suspect: XSS } }],
      },
    ];
    await renderPanel(frames);
    await expectInert(panelView);
    const missing = panelView.page.getByTestId(TEST_IDS.missing);
    const text = await missing.innerText();
    expect(text).toContain('"drops": leg "<img src=x onerror=');
    expect(text).toContain('"drops": leg "cloudflare" has unknown reason "<img src=x');
    expect(text).toContain('(100000 characters)');
    expect(text).toContain('"slow": leg "" is not in the panel\'s topology');
    expect(text).toContain('"incidents": suspect "<img src=x');
    expect(text.length).toBeLessThan(5_000);
    expect(await panelView.page.getByTestId(TEST_IDS.segment('tunnel')).count()).toBe(1);
    expect(unexpected(panelView)).toEqual([]);
  });

  it('NaN, ±Infinity, missing fields and empty strings: never exonerated, the missing queries named', async () => {
    const frames = [
      {
        refId: 'drops',
        fields: [
          { name: 'Value', type: 'number', values: [Number.NaN], labels: { leg: 'cloudflare', reason: 'reset' } },
        ],
      },
      {
        refId: 'drops',
        fields: [{ name: 'Value', type: 'number', values: [Infinity], labels: { leg: 'internal', reason: 'reset' } }],
      },
      {
        refId: 'connected',
        fields: [{ name: 'Value', type: 'number', values: ['', ''], labels: { leg: 'cloudflare' } }],
      },
      { refId: 'rtt', fields: [{ name: 'Value', type: 'number', values: [-Infinity], labels: { leg: 'internal' } }] },
      { refId: 'slow', fields: [{ name: 'Value', type: 'number' }] },
      { refId: 'psi_io', fields: [] },
    ] as unknown as DataFrameDTO[];
    await renderPanel(frames);
    await expect.poll(() => panelView.page.getByTestId(TEST_IDS.verdict).getAttribute('data-verdict')).toBe('unknown');
    const text = await panelView.page.getByTestId(TEST_IDS.missing).innerText();
    expect(text).toContain('"drops": leg "internal" reason "reset" is Infinity');
    expect(text).toContain('leg "cloudflare" has a "connected" series but no values in the range');
    expect(text).toContain('no query "psi_memory" in the panel');
    expect(unexpected(panelView)).toEqual([]);
  });
});

/** A probe verdict with markup in every string and a segment and leg the topology does not know. */
function hostileVerdict() {
  const v = probeVerdict();
  return {
    ...v,
    headline: XSS,
    hints: [{ kind: 'pressure', text: XSS, runbook: XSS }],
    legs: [...v.legs.map((l) => ({ ...l, note: XSS })), { ...v.legs[0]!, leg: XSS }],
    segments: [...v.segments, { id: XSS, name: XSS, state: 'suspect' }],
    incidents: v.incidents.map((i) => ({ ...i, summary: XSS, legs: [XSS], id: 'same-id' })),
  };
}

async function openTriage(): Promise<HarnessPage> {
  const view = await openPage(harness, `${APP_BASE_URL}/triage?from=${FROM}&to=${TO}`, { width: 1280, height: 1600 });
  await view.renderApp('dark');
  return view;
}

describe('the triage page on hostile probe answers', () => {
  it('markup in the headline, hints, leg notes, segment names and incident summaries stays text', async () => {
    probe.answer('/api/v1/attribution', { body: hostileVerdict() });
    const view = await openTriage();
    const section = view.page.getByTestId(TEST_IDS.triageProbe);
    await section.getByTestId(TEST_IDS.verdict).waitFor({ timeout: 10_000 });
    await expect.poll(() => view.page.locator('#root').innerText()).toContain('<script>window.__pwned=1</script>');
    await expectInert(view);
    // The empty Prometheus answer: a verdict that says so, never "exonerated".
    const prom = view.page.getByTestId(TEST_IDS.triagePrometheus);
    expect(await prom.getByTestId(TEST_IDS.verdict).getAttribute('data-verdict')).toBe('unknown');
    expect(await prom.innerText()).toContain('no disconnect counts for leg "cloudflare" ("drops")');
    expect(unexpected(view)).toEqual([]);
    await view.page.context().close();
  });

  const broken: Array<[string, FakeAnswer, number | undefined, string]> = [
    [
      'an HTML error page',
      { status: 500, contentType: 'text/html', body: `<html><body><h1>oops</h1>${XSS}</body></html>` },
      500,
      '/probe/api/v1/attribution: 500 Internal Server Error',
    ],
    ['non-JSON', { contentType: 'text/plain', body: 'hello' }, undefined, '/api/v1/attribution is not a JSON object'],
    [
      'JSON of the wrong shape',
      { body: { verdict: 'incident' } },
      undefined,
      '/api/v1/attribution has no "segments" list',
    ],
    [
      '500 with {error}',
      { status: 500, body: { error: XSS } },
      500,
      `/probe/api/v1/attribution: 500 Internal Server Error: ${XSS}`,
    ],
    ['an empty answer', { body: '' }, undefined, '/api/v1/attribution is not a JSON object'],
  ];

  it.each(broken)(
    '%s: the probe section names the endpoint, the Prometheus verdict still shows',
    async (_, answer, status, text) => {
      probe.answer('/api/v1/attribution', answer);
      const view = await openTriage();
      const section = view.page.getByTestId(TEST_IDS.triageProbe);
      await expect.poll(() => section.innerText(), { timeout: 10_000 }).toContain(text);
      expect(await section.innerText()).toContain('The probe (datasource "t3-attribution") did not answer');
      // The Prometheus verdict loads on its own: the probe's error can show before it does.
      const promVerdict = view.page.getByTestId(TEST_IDS.triagePrometheus).getByTestId(TEST_IDS.verdict);
      await promVerdict.waitFor({ timeout: 10_000 });
      expect(await promVerdict.count()).toBe(1);
      await expectInert(view);
      expect(unexpected(view, status)).toEqual([]);
      await view.page.context().close();
    }
  );

  it('a probe that never answers: the Prometheus verdict shows meanwhile, then the page says the probe timed out', async () => {
    probe.answer('/api/v1/attribution', 'hang');
    const started = Date.now();
    const view = await openTriage();
    const section = view.page.getByTestId(TEST_IDS.triageProbe);
    await view.page.getByTestId(TEST_IDS.triagePrometheus).getByTestId(TEST_IDS.verdict).waitFor({ timeout: 5_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await section.innerText()).toContain('Asking the probe');
    await expect
      .poll(() => section.innerText(), { timeout: 25_000, interval: 500 })
      .toContain('/probe/api/v1/attribution: no answer within 15 s');
    expect(await view.page.getByTestId(TEST_IDS.triagePrometheus).getByTestId(TEST_IDS.verdict).count()).toBe(1);
    expect(unexpected(view)).toEqual([]);
    await view.page.context().close();
  }, 60_000);
});

describe('the incidents page and the datasource on hostile probe answers', () => {
  it('incidents with markup and duplicate ids: every row rendered, as text (the key check is in src/pages/hostile.test.tsx)', async () => {
    const incidents = probeIncidents().map((i) => ({
      ...i,
      id: 'dup',
      summary: XSS,
      legs: [XSS, ''],
      suspects: [XSS],
    }));
    probe.answer('/api/v1/incidents', { body: fakeIncidentsAnswer(incidents) });
    const view = await openPage(harness, `${APP_BASE_URL}/incidents?from=${FROM}&to=${TO}`);
    await view.renderApp('dark');
    const table = view.page.getByTestId(TEST_IDS.incidentTable);
    await table.waitFor({ timeout: 10_000 });
    expect(await table.locator('tbody tr').count()).toBe(incidents.length);
    expect(await table.innerText()).toContain('<script>window.__pwned=1</script>');
    await expectInert(view);
    expect(unexpected(view)).toEqual([]);
    await view.page.context().close();
  });

  it('an incident of the wrong shape: the page names the endpoint and the field', async () => {
    probe.answer('/api/v1/incidents', { body: { incidents: [{ ...probeIncidents()[0]!, evidence: [XSS] }] } });
    const view = await openPage(harness, `${APP_BASE_URL}/incidents?from=${FROM}&to=${TO}`);
    await view.renderApp('dark');
    await expect
      .poll(() => view.page.locator('#root').innerText(), { timeout: 10_000 })
      .toContain('/api/v1/incidents has a malformed evidence[0] at incidents[0]');
    await expectInert(view);
    expect(unexpected(view)).toEqual([]);
    await view.page.context().close();
  });

  it('datasource queries fail alone with the endpoint named; annotation text escapes the markup', async () => {
    probe.answer('/api/v1/events', { status: 500, contentType: 'text/html', body: '<html>down</html>' });
    const incidents = probeIncidents().map((i) => ({ ...i, summary: XSS }));
    probe.answer('/api/v1/incidents', { body: fakeIncidentsAnswer(incidents) });
    const range = { from: FROM, to: TO };
    const out = await panelView.query(DEFAULT_PROBE_UID, {
      targets: [{ refId: 'E', queryType: 'events' } as never, { refId: 'I', queryType: 'incidents' } as never],
      range,
    });
    // The harness reports both `error` and `errors` of the response, as Grafana's query runner reads them.
    expect(new Set(out.errors.map((e) => e.message))).toEqual(new Set(['/api/v1/events: 500 Internal Server Error']));
    expect(out.data).toHaveLength(1);
    const annotations = await panelView.annotations(DEFAULT_PROBE_UID, { name: 't3', enable: true }, range);
    expect(annotations).toHaveLength(incidents.length);
    for (const a of annotations) {
      expect(a.title).toContain(XSS);
      expect(a.text ?? '').not.toContain('<');
    }
    await expectInert(panelView);
    expect(unexpected(panelView, 500)).toEqual([]);
  });
});
