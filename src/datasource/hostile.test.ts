// @vitest-environment jsdom
/**
 * The datasource against a hostile or broken probe: answers of the wrong shape, markup in every string,
 * enormous error texts, non-JSON pages. Each query fails alone with a sentence naming the endpoint and
 * the field; strings stay strings (Grafana shows annotation text as HTML, so it is escaped there).
 */
import { dateTime, type DataQueryRequest, type DataSourceInstanceSettings } from '@grafana/data';
import { setTemplateSrv, type TemplateSrv } from '@grafana/runtime';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBackendSrv, type FakeAnswer } from '../test/backendSrv';
import { FROM } from '../test/fixtures';
import { at, probeIncidents, probeVerdict } from '../test/probeFixtures';
import { annotationsFromFrames } from './annotations';
import { DataSource } from './DataSource';
import { readIncidents, readLegs, readTopology, readVerdict } from '../shared/probe-api';
import { requestErrorText } from '../shared/requestError';
import { incidentsFrame, legsFrame } from './toFrames';
import type { ProbeJsonData, ProbeQuery } from './types';

const PROXY = '/api/datasources/proxy/uid/t3-attribution';
const XSS = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>`;
const settings = {
  uid: 't3-attribution',
  url: PROXY,
  jsonData: {},
} as unknown as DataSourceInstanceSettings<ProbeJsonData>;

function request(targets: ProbeQuery[]): DataQueryRequest<ProbeQuery> {
  const range = { from: dateTime(FROM), to: dateTime(at(60)), raw: { from: dateTime(FROM), to: dateTime(at(60)) } };
  return { targets, range, scopedVars: {} } as unknown as DataQueryRequest<ProbeQuery>;
}

function probeAnswering(path: string, answer: FakeAnswer) {
  fakeBackendSrv({ [`${PROXY}/probe${path}`]: answer });
  return new DataSource(settings, () => at(60));
}

describe('probe answers of the wrong shape', () => {
  const incident = probeIncidents()[0]!;

  it.each([
    ['summary', 42, 'has a malformed "summary" at incidents[0]'],
    ['reasons', 'reset', 'has a malformed "reasons" at incidents[0]'],
    ['evidence', [{ leg: 'x' }], 'has a malformed evidence[0] at incidents[0]'],
    ['legs', [1, 2], 'has no legs/suspects at incidents[0]'],
    ['start', Number.NaN, 'has no id/start/end at incidents[0]'],
  ])('an incident whose %s is %j is refused, naming it', (key, value, text) => {
    expect(() => readIncidents({ incidents: [{ ...incident, [key]: value }] })).toThrow(
      `the probe's answer to /api/v1/incidents ${text}`
    );
  });

  it('a verdict with a segment in an unknown state, or a leg without a note, is refused, naming it', () => {
    const v = probeVerdict();
    expect(() => readVerdict({ ...v, segments: [{ id: 'x', name: 'x', state: 'pwned' }] })).toThrow(
      '/api/v1/attribution has a malformed segments[0]'
    );
    expect(() => readVerdict({ ...v, legs: [{ ...v.legs[0], note: null }] })).toThrow('has a malformed legs[0]');
    expect(() => readVerdict({ ...v, hints: ['text'] })).toThrow('has a malformed hints[0]');
    expect(() => readVerdict({ ...v, headline: undefined })).toThrow('has no headline');
  });

  it('a leg without segments reads as none; segments of the wrong type are refused', () => {
    expect(legsFrame(readLegs({ legs: [{ name: 'a', connected: true }] }), 'A').fields[7]?.values).toEqual(['']);
    expect(() => readLegs({ legs: [{ name: 'a', connected: true, segments: 'wan' }] })).toThrow(
      'has a malformed "segments" at legs[0]'
    );
  });

  it('a topology whose segment has no id is refused (variables would list garbage)', () => {
    expect(() => readTopology({ segments: [{ name: 'x' }], legs: [] })).toThrow('has no id at segments[0]');
  });

  it('an enormous error text from the probe is cut short, with its length', () => {
    const text = requestErrorText({ status: 500, data: { error: 'e'.repeat(100_000) } }, '/api/v1/legs');
    expect(text.length).toBeLessThan(400);
    expect(text).toMatch(/^\/api\/v1\/legs: 500: e+… \(100000 characters\)$/);
  });
});

describe('DataSource against a broken probe', () => {
  beforeEach(() => setTemplateSrv({ replace: (s: string) => s } as unknown as TemplateSrv));

  it.each([
    ['an HTML error page', { status: 502, body: '<html><body>Bad gateway</body></html>' }, '/api/v1/incidents: 502'],
    ['non-JSON with 200', { body: 'hello' }, '/api/v1/incidents is not a JSON object'],
    ['JSON of the wrong shape', { body: { items: [] } }, '/api/v1/incidents has no "incidents" list'],
    [
      '500 with {error}',
      { status: 500, body: { error: 'store unreadable' } },
      '/api/v1/incidents: 500: store unreadable',
    ],
    ['an empty answer', { body: '' }, '/api/v1/incidents is not a JSON object'],
  ])('%s: the query fails with a sentence naming the endpoint, the others are unaffected', async (_, answer, text) => {
    const ds = probeAnswering('/api/v1/incidents', answer);
    const res = await ds.query(request([{ refId: 'A', queryType: 'incidents' }]));
    expect(res.data).toEqual([]);
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]?.refId).toBe('A');
    expect(res.errors?.[0]?.message).toContain(text);
  });

  it('the health check names the endpoint and the problem instead of throwing', async () => {
    const ds = probeAnswering('/api/v1/legs', { body: { legs: [{ name: XSS }] } });
    await expect(ds.testDatasource()).resolves.toEqual({
      status: 'error',
      message: "the probe's answer to /api/v1/legs has no connected flag at legs[0]: is the datasource URL a t3 probe?",
    });
  });
});

describe('markup in probe answers stays text', () => {
  it('incident frames carry the strings as given; annotation text escapes the markup Grafana would render', () => {
    const [first] = probeIncidents();
    const hostile = {
      ...first!,
      legs: [XSS],
      suspects: [XSS],
      summary: XSS,
      evidence: [{ leg: XSS, role: 'failed' as const, reasons: [], why: { code: 'dropped' as const }, note: XSS }],
    };
    const frame = incidentsFrame([hostile], 'A', at(60));
    expect(frame.fields.find((f) => f.name === 'title')?.values[0]).toBe(`t3 drop: ${XSS}`);
    const [annotation] = annotationsFromFrames([frame]);
    expect(annotation?.text).not.toContain('<');
    expect(annotation?.text).toContain('&lt;img src=x onerror="window.__pwned=1"&gt;');
    expect(annotation?.tags).toEqual([XSS, XSS]);
  });
});
