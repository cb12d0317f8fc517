// @vitest-environment jsdom
import { dateTime, type DataQueryRequest, type DataSourceInstanceSettings } from '@grafana/data';
import { setTemplateSrv, type TemplateSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TOPOLOGY } from '../attribution';
import { fakeEventsAnswer, fakeIncidentsAnswer, fakeRoutes, fakeTopologyAnswer } from '../shared/probe-api/fakes';
import { fakeBackendSrv } from '../test/backendSrv';
import { FROM } from '../test/fixtures';
import {
  at,
  LEGS_ANSWER,
  probeEvents,
  probeIncidents,
  probeVerdict,
  userProbeRoutes,
  USERS_TOPOLOGY,
} from '../test/probeFixtures';
import { DataSource } from './DataSource';
import type { ProbeJsonData, ProbeQuery } from './types';

const PROXY = '/api/datasources/proxy/uid/t3-attribution';
const settings = {
  id: 1,
  uid: 't3-attribution',
  type: 't3-dropattribution-datasource',
  name: 'probe',
  url: PROXY,
  jsonData: {},
} as unknown as DataSourceInstanceSettings<ProbeJsonData>;
const TO = at(60);

function request(targets: ProbeQuery[]): DataQueryRequest<ProbeQuery> {
  const range = { from: dateTime(FROM), to: dateTime(TO), raw: { from: dateTime(FROM), to: dateTime(TO) } };
  return {
    targets,
    range,
    scopedVars: {},
    requestId: 'r',
    interval: '1m',
    intervalMs: 60_000,
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
  } as DataQueryRequest<ProbeQuery>;
}

function routes() {
  return fakeBackendSrv(
    fakeRoutes(
      {
        '/api/v1/legs': LEGS_ANSWER,
        '/api/v1/incidents': fakeIncidentsAnswer(probeIncidents()),
        '/api/v1/events': fakeEventsAnswer(probeEvents(), true),
        '/api/v1/attribution': probeVerdict(),
        '/api/v1/topology': fakeTopologyAnswer(DEFAULT_TOPOLOGY),
      },
      `${PROXY}/probe`
    )
  );
}

describe('DataSource', () => {
  beforeEach(() => setTemplateSrv({ replace: (s: string) => s.replace('$leg', 'internal') } as unknown as TemplateSrv));

  it('asks the probe through the data proxy route with the range in Unix ms', async () => {
    const { requests } = routes();
    const ds = new DataSource(settings, () => TO);
    const res = await ds.query(request([{ refId: 'A', queryType: 'incidents' }]));
    expect(requests.map((r) => r.url)).toEqual([`${PROXY}/probe/api/v1/incidents?from=${FROM}&to=${TO}`]);
    expect(res.data[0].name).toBe('incidents');
    expect(res.data[0].length).toBe(2);
  });

  it('runs every query type, each into its own frames', async () => {
    routes();
    const ds = new DataSource(settings, () => TO);
    const res = await ds.query(
      request([
        { refId: 'L', queryType: 'legs' },
        { refId: 'E', queryType: 'events' },
        { refId: 'V', queryType: 'attribution' },
      ])
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.map((f) => `${f.refId}:${f.name}`)).toEqual([
      'L:legs',
      'E:events',
      'V:verdict',
      'V:segments',
      'V:legs',
    ]);
    expect(res.data[1].meta.notices[0].text).toMatch(/narrow the time range/);
  });

  it('filters incidents by leg (template variables replaced) and by suspect', async () => {
    routes();
    const ds = new DataSource(settings, () => TO);
    const byLeg = await ds.query(request([{ refId: 'A', queryType: 'incidents', leg: '$leg' }]));
    expect(byLeg.data[0].length).toBe(1);
    const bySuspect = await ds.query(request([{ refId: 'A', queryType: 'incidents', suspect: 'tunnel' }]));
    expect(bySuspect.data[0].fields.find((f: { name: string }) => f.name === 'suspects').values).toEqual([
      'wan, cf-edge, tunnel',
    ]);
  });

  it("passes the leg to the probe's events filter", async () => {
    const { requests } = routes();
    await new DataSource(settings).query(request([{ refId: 'E', queryType: 'events', leg: 'cloudflare' }]));
    expect(requests[0]?.url).toBe(`${PROXY}/probe/api/v1/events?from=${FROM}&to=${TO}&leg=cloudflare`);
  });

  it("reports the probe's own error text per query, keeping the other queries' data", async () => {
    fakeBackendSrv({
      [`${PROXY}/probe/api/v1/legs`]: { body: LEGS_ANSWER },
      [`${PROXY}/probe/api/v1/events`]: { status: 400, body: { error: 'from: "abc" is not a time' } },
    });
    const res = await new DataSource(settings).query(
      request([
        { refId: 'E', queryType: 'events' },
        { refId: 'L', queryType: 'legs' },
      ])
    );
    expect(res.errors).toEqual([{ refId: 'E', message: '/api/v1/events: 400: from: "abc" is not a time' }]);
    expect(res.data.map((f) => f.refId)).toEqual(['L']);
  });

  it('health check: version and legs, or the reason it failed', async () => {
    routes();
    expect(await new DataSource(settings).testDatasource()).toEqual({
      status: 'success',
      message: 'probe 0.1.0, legs: cloudflare (connected), internal (connected), t3serve (down)',
    });
    // The probe's 401 as Grafana's data proxy passes it on.
    fakeBackendSrv({
      [`${PROXY}/probe/api/v1/legs`]: { status: 400, body: 'Authentication to data source failed' },
    });
    expect(await new DataSource(settings).testDatasource()).toEqual({
      status: 'error',
      message:
        '/api/v1/legs: the probe refused the datasource\'s API token: set it in the datasource settings (Grafana\'s data proxy: 400 "Authentication to data source failed")',
    });
    fakeBackendSrv({ [`${PROXY}/probe/api/v1/legs`]: { status: 502, body: '' } });
    expect((await new DataSource(settings).testDatasource()).message).toMatch(
      /^\/api\/v1\/legs: the probe is unreachable from Grafana's server \(502\)/
    );
    fakeBackendSrv({ [`${PROXY}/probe/api/v1/legs`]: { body: '<html>not a probe</html>' } });
    expect((await new DataSource(settings).testDatasource()).message).toMatch(
      /is not a JSON object: is the datasource URL a t3 probe\?/
    );
  });

  it('variable queries list legs and segments from the topology, and reject anything else', async () => {
    routes();
    const ds = new DataSource(settings);
    expect((await ds.metricFindQuery('legs')).map((v) => v.text)).toEqual(['cloudflare', 'internal', 't3serve']);
    expect((await ds.metricFindQuery({ query: 'segments' })).map((v) => v.value)).toEqual(
      DEFAULT_TOPOLOGY.segments.map((s) => s.id)
    );
    await expect(ds.metricFindQuery('pods')).rejects.toThrow(
      'variable query "pods" is not "legs", "segments" or "users"'
    );
  });

  it("variable query users: the probe's users, those without a leg first; none from an older probe", async () => {
    fakeBackendSrv(fakeRoutes({ '/api/v1/topology': fakeTopologyAnswer(USERS_TOPOLOGY) }, `${PROXY}/probe`));
    const ds = new DataSource(settings, () => TO);
    expect((await ds.metricFindQuery('users')).map((v) => [v.text, v.value])).toEqual([
      ['carol', 'carol'],
      ['alice', 'alice'],
    ]);
    // An older probe's topology answer: segments and legs only.
    fakeBackendSrv({ [`${PROXY}/probe/api/v1/topology`]: { body: { ...DEFAULT_TOPOLOGY } } });
    expect(await ds.metricFindQuery('users')).toEqual([]);
  });

  it("incidents and attribution for one user (e.g. $user) ask the probe with user=; All or empty asks for everyone's", async () => {
    const { requests } = fakeBackendSrv(userProbeRoutes(`${PROXY}/probe`));
    setTemplateSrv({ replace: (s: string) => s.replace('$user', 'alice') } as unknown as TemplateSrv);
    const ds = new DataSource(settings, () => TO);
    const res = await ds.query(
      request([
        { refId: 'I', queryType: 'incidents', user: '$user' },
        { refId: 'V', queryType: 'attribution', user: '$user' },
        { refId: 'E', queryType: 'incidents', user: '' },
      ])
    );
    expect(res.errors).toBeUndefined();
    const users = requests.map((r) => new URL(r.url, 'http://g').searchParams.get('user'));
    expect(users).toEqual(['alice', 'alice', null]);
    setTemplateSrv({ replace: (s: string) => s.replace('$user', 'All') } as unknown as TemplateSrv);
    await ds.query(request([{ refId: 'A', queryType: 'attribution', user: '$user' }]));
    expect(new URL(requests.at(-1)!.url, 'http://g').searchParams.get('user')).toBeNull();
  });

  it("an unknown user: the query fails with the probe's 400 naming the parameter", async () => {
    fakeBackendSrv(userProbeRoutes(`${PROXY}/probe`));
    const ds = new DataSource(settings, () => TO);
    const res = await ds.query(request([{ refId: 'V', queryType: 'attribution', user: 'dave' }]));
    expect(res.errors?.[0]?.message).toBe(
      '/api/v1/attribution: 400: user: "dave" is not a user the probe knows (known: carol, alice)'
    );
  });

  it('annotations run an incidents query and map each incident to a region', async () => {
    routes();
    const ds = new DataSource(settings, () => TO);
    const query = ds.annotations.prepareQuery({
      name: 't3',
      enable: true,
      iconColor: 'red',
      target: { refId: 'X', queryType: 'events', leg: 't3serve' },
    });
    expect(query).toEqual({ refId: 'X', queryType: 'incidents', leg: 't3serve' });
    const res = await ds.query(request([query]));
    const events = await lastValueFrom(
      ds.annotations.processEvents({ name: 't3', enable: true, iconColor: 'red' }, res.data)
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      isRegion: true,
      timeEnd: at(40) + 40_000,
      tags: ['t3serve', 'cloudflare', 'internal', 'devvm-net', 'serve'],
    });
  });
});
