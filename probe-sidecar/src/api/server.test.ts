import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TOPOLOGY, type Incident, type ProbeEvent, type Topology, type Verdict } from '../engine.js';
import { fakeIncident } from '../../../src/shared/probe-api/fakes.js';
import { ProbeMetrics } from '../metrics.js';
import { createApiServer, type ApiSource } from './server.js';
import type { LegState } from '../legs/leg.js';

const NOW = Date.parse('2026-06-10T12:00:00Z');
const events: ProbeEvent[] = [
  { type: 'probe_start', time: NOW - 7_200_000 },
  ...Array.from({ length: 30 }, (_, i): ProbeEvent => ({
    type: 'disconnect',
    leg: 'cloudflare',
    time: NOW - 600_000 + i * 10_000,
    reason: 'reset',
    lastHeard: NOW - 600_000 + i * 10_000 - 5,
  })),
  ...Array.from({ length: 30 }, (_, i): ProbeEvent => ({
    type: 'reconnect',
    leg: 'cloudflare',
    time: NOW - 600_000 + i * 10_000 + 3_000,
    lastFailure: 0,
    attempts: 1,
  })),
  { type: 'probe_alive', time: NOW - 1000 },
];
const incident = (id: string, start: number, end: number | null): Incident => fakeIncident({ id, start, end });

/** The one leg every source below reports, as the probe's own state. */
const LEG: LegState = {
  name: 'internal',
  type: 'websocket',
  segments: ['traefik'],
  connected: true,
  since: 1,
  lastHeard: 2,
  lastRttMs: 3,
  lastReason: null,
  misconfigured: false,
};

let ready = false;
let server: Server;
let base: string;

function source(token: string | null, topology: Topology = DEFAULT_TOPOLOGY, history = events): ApiSource {
  return {
    version: '9.9.9',
    topology,
    retentionMs: 86_400_000,
    token,
    registry: new ProbeMetrics(topology, '9.9.9').registry,
    legs: () => [LEG],
    readEvents: async (from, to) =>
      history.filter((e) => e.time >= from && e.time <= to).sort((a, b) => a.time - b.time),
    readIncidents: async (from, to) =>
      [incident('stored', NOW - 120_000, NOW - 100_000)].filter((i) => i.start <= to && i.end! >= from),
    openIncidents: () => [incident('open', NOW - 10_000, null)],
    ready: () => ready,
    now: () => NOW,
    log: () => undefined,
  };
}

async function listen(
  token: string | null,
  ...rest: [Topology?, ProbeEvent[]?]
): Promise<{ server: Server; base: string }> {
  const s = createApiServer(source(token, ...rest));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { server: s, base: `http://127.0.0.1:${(s.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  ({ server, base } = await listen(null));
});
afterAll(() => new Promise((r) => server.close(r)));

async function get(path: string, init?: RequestInit) {
  const res = await fetch(base + path, init);
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null,
  };
}

describe('API', () => {
  it('/metrics in the Prometheus text format', async () => {
    const r = await get('/metrics');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(r.text).toContain('t3probe_build_info{version="9.9.9"} 1');
  });

  it('/healthz always, /readyz only once ready', async () => {
    expect((await get('/healthz')).status).toBe(200);
    ready = false;
    expect((await get('/readyz')).status).toBe(503);
    ready = true;
    expect((await get('/readyz')).status).toBe(200);
  });

  it('/api/v1/legs: version and each leg', async () => {
    const r = await get('/api/v1/legs');
    expect(r.json).toEqual({
      version: '9.9.9',
      legs: [LEG],
    });
  });

  it('/api/v1/topology: segments with probe, legs with probe', async () => {
    const r = await get('/api/v1/topology');
    expect(r.json.segments.map((s: { id: string }) => s.id)).toContain('probe');
    expect(r.json.legs.map((l: { name: string }) => l.name)).toEqual(['cloudflare', 'internal', 't3serve']);
    expect(r.json.legs[0].segments).toContain('probe');
    expect([r.json.users, r.json.userInstances]).toEqual([[], []]);
  });

  it('/api/v1/events: disconnects and reconnects of the last hour by default', async () => {
    const r = await get('/api/v1/events');
    expect(r.status).toBe(200);
    expect(r.json.truncated).toBe(false);
    expect(r.json.events).toHaveLength(60);
    expect(new Set(r.json.events.map((e: ProbeEvent) => e.type))).toEqual(new Set(['disconnect', 'reconnect']));
    const times = r.json.events.map((e: ProbeEvent) => e.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('/api/v1/events: limit keeps the newest and says truncated; type and leg filter', async () => {
    const r = await get('/api/v1/events?limit=5');
    expect(r.json.truncated).toBe(true);
    expect(r.json.events).toHaveLength(5);
    expect(r.json.events[4].time).toBe(NOW - 600_000 + 29 * 10_000 + 3_000);
    expect((await get('/api/v1/events?type=probe_alive')).json.events).toEqual([
      { type: 'probe_alive', time: NOW - 1000 },
    ]);
    expect((await get('/api/v1/events?leg=internal')).json.events).toEqual([]);
  });

  it('/api/v1/events: from/to as RFC 3339', async () => {
    const from = new Date(NOW - 600_000).toISOString();
    const to = new Date(NOW - 600_000 + 5_000).toISOString();
    const r = await get(`/api/v1/events?from=${from}&to=${to}`);
    expect(r.json.events.map((e: ProbeEvent) => e.type)).toEqual(['disconnect', 'reconnect']);
  });

  it.each([
    ['/api/v1/events?from=yesterday', /^from: /],
    ['/api/v1/events?to=1e12', /^to: /],
    [`/api/v1/incidents?from=${NOW}&to=${NOW - 1}`, /^from: .* is after to/],
    [`/api/v1/attribution?from=${NOW - 2 * 86_400_000}&to=${NOW}`, /^from: the window .* longer than the retention/],
    ['/api/v1/events?limit=0', /^limit: /],
    ['/api/v1/events?type=bogus', /^type: /],
    ['/api/v1/events?leg=nope', /^leg: /],
    [
      '/api/v1/attribution?user=alice',
      /^user: "alice" is not a user the probe knows \(the probe's config lists no users\)$/,
    ],
    [
      '/api/v1/incidents?user=alice',
      /^user: "alice" is not a user the probe knows \(the probe's config lists no users\)$/,
    ],
  ])('400 with {"error"} naming the parameter: %s', async (path, message) => {
    const r = await get(path);
    expect(r.status).toBe(400);
    expect(Object.keys(r.json)).toEqual(['error']);
    expect(r.json.error).toMatch(message);
  });

  it('/api/v1/incidents: closed ones from the store and open ones live', async () => {
    const r = await get('/api/v1/incidents');
    expect(r.json.incidents.map((i: Incident) => [i.id, i.end])).toEqual([
      ['stored', NOW - 100_000],
      ['open', null],
    ]);
    const early = await get(`/api/v1/incidents?from=${NOW - 3_600_000}&to=${NOW - 110_000}`);
    expect(early.json.incidents.map((i: Incident) => i.id)).toEqual(['stored']);
  });

  it('/api/v1/attribution: a verdict from the stored events', async () => {
    const r = await get(`/api/v1/attribution?from=${NOW - 700_000}&to=${NOW}`);
    expect(r.status).toBe(200);
    expect(r.json.verdict).toBe('incident');
    expect(r.json.suspects).toEqual(['wan', 'cf-edge', 'tunnel']);
    const quiet = await get(`/api/v1/attribution?from=${NOW - 3_000_000}&to=${NOW - 2_000_000}`);
    expect(quiet.json.verdict).toBe('exonerated');
  });

  it('read-only: 405 with Allow for anything but GET/HEAD; HEAD has no body', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const r = await get('/api/v1/legs', { method });
      expect(r.status).toBe(405);
      expect(r.headers.get('allow')).toBe('GET, HEAD');
    }
    const head = await get('/api/v1/legs', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });

  it('unknown routes: 404 JSON', async () => {
    const r = await get('/api/v2/nothing');
    expect(r.status).toBe(404);
    expect(r.json.error).toMatch(/no route/);
  });

  it('with a token: /api/* needs it, /metrics and probes stay open', async () => {
    const guarded = await listen('s3cret');
    try {
      const noAuth = await fetch(`${guarded.base}/api/v1/legs`);
      expect(noAuth.status).toBe(401);
      expect(noAuth.headers.get('www-authenticate')).toBe('Bearer');
      expect((await fetch(`${guarded.base}/api/v1/legs`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(
        401
      );
      expect((await fetch(`${guarded.base}/api/v1/legs`, { headers: { authorization: 'Bearer s3cret' } })).status).toBe(
        200
      );
      expect((await fetch(`${guarded.base}/metrics`)).status).toBe(200);
      expect((await fetch(`${guarded.base}/healthz`)).status).toBe(200);
    } finally {
      await new Promise((r) => guarded.server.close(r));
    }
  });

  it('bounds slow clients', () => {
    expect(server.requestTimeout).toBeGreaterThan(0);
    expect(server.headersTimeout).toBeGreaterThan(0);
  });
});

describe('API per user', () => {
  // alice's own instance stalled 30 s inside her cgroup; the shared legs (t3serve straight to devvm) stayed up.
  const topology: Topology = {
    ...DEFAULT_TOPOLOGY,
    legs: [
      ...DEFAULT_TOPOLOGY.legs,
      { name: 'serve-alice', type: 'http', segments: [], intervalMs: 10_000, timeoutMs: 5_000, user: 'alice' },
      { name: 'serve-bob', type: 'http', segments: [], intervalMs: 10_000, timeoutMs: 5_000, user: 'bob' },
    ],
    users: ['carol'],
  };
  const history: ProbeEvent[] = [
    { type: 'probe_start', time: NOW - 7_200_000 },
    {
      type: 'disconnect',
      leg: 'serve-alice',
      time: NOW - 300_000,
      reason: 'heartbeat_timeout',
      lastHeard: NOW - 330_000,
    },
    { type: 'reconnect', leg: 'serve-alice', time: NOW - 280_000, lastFailure: NOW - 285_000, attempts: 2 },
    { type: 'probe_alive', time: NOW - 1000 },
  ];
  let users: { server: Server; base: string };
  beforeAll(async () => {
    users = await listen(null, topology, history);
  });
  afterAll(() => new Promise((r) => users.server.close(r)));
  const attribution = async (user: string): Promise<{ status: number; body: Verdict & { error?: string } }> => {
    const res = await fetch(`${users.base}/api/v1/attribution?from=${NOW - 600_000}&to=${NOW}&user=${user}`);
    return { status: res.status, body: (await res.json()) as Verdict & { error?: string } };
  };

  it("?user=: that user's verdict — their instance blamed, another's exonerated, an unwatched one named", async () => {
    const alice = await attribution('alice');
    expect(alice.status).toBe(200);
    expect([alice.body.verdict, alice.body.user, alice.body.suspects]).toEqual(['incident', 'alice', ['serve.alice']]);
    const bob = await attribution('bob');
    expect([bob.body.verdict, bob.body.suspects]).toEqual(['exonerated', ['client']]);
    expect(bob.body.segments.map((s) => s.id)).not.toContain('serve.alice');
    const carol = await attribution('carol');
    expect([carol.body.verdict, carol.body.suspects]).toEqual(['exonerated', ['client', 'serve.carol']]);
    expect(carol.body.headline).toContain("carol's own serve instance (serve.carol) was not watched");
    // Without user: every leg and segment, as before.
    const all = await attribution('');
    expect([all.body.verdict, all.body.user, all.body.suspects]).toEqual(['incident', undefined, ['serve.alice']]);
  });

  it('an unknown user → 400 naming the parameter, the known users listed', async () => {
    const r = await attribution('dave');
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: 'user: "dave" is not a user the probe knows (known: carol, alice, bob)' });
  });

  it("/api/v1/topology: every user's own instance, in path order after serve, and whether a leg watches it", async () => {
    const r = (await (await fetch(`${users.base}/api/v1/topology`)).json()) as Topology & {
      userInstances: Array<{ user: string; segment: string; monitored: boolean; legs: string[] }>;
    };
    expect(r.segments.map((s) => s.id).slice(-5)).toEqual([
      'serve',
      'serve.carol',
      'serve.alice',
      'serve.bob',
      'probe',
    ]);
    expect(r.legs.find((l) => l.name === 'serve-alice')).toMatchObject({
      user: 'alice',
      segments: ['serve.alice', 'probe'],
    });
    expect(r.users).toEqual(['carol', 'alice', 'bob']);
    expect(r.userInstances).toEqual([
      { user: 'carol', segment: 'serve.carol', monitored: false, legs: [] },
      { user: 'alice', segment: 'serve.alice', monitored: true, legs: ['serve-alice'] },
      { user: 'bob', segment: 'serve.bob', monitored: true, legs: ['serve-bob'] },
    ]);
  });

  it("/api/v1/legs: a user's leg says whose instance it checks, a shared leg says no user", async () => {
    const legsOf = createApiServer({
      ...source(null, topology, history),
      legs: () => [LEG, { ...LEG, name: 'serve-alice', type: 'http', segments: ['serve.alice', 'probe'] }],
    });
    await new Promise<void>((r) => legsOf.listen(0, '127.0.0.1', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(legsOf.address() as AddressInfo).port}/api/v1/legs`);
      const body = (await res.json()) as { legs: Array<Record<string, unknown>> };
      expect(body.legs).toEqual([
        LEG,
        { ...LEG, name: 'serve-alice', type: 'http', segments: ['serve.alice', 'probe'], user: 'alice' },
      ]);
      expect('user' in body.legs[0]!).toBe(false);
    } finally {
      await new Promise((r) => legsOf.close(r));
    }
  });

  describe('/api/v1/incidents?user=', () => {
    // Stored: one on alice's own instance, one on bob's alone, one on a shared segment (every user's);
    // open: one on bob's instance that alice's leg saw stay up.
    const stored: Incident[] = [
      fakeIncident({
        id: 'alice-stall',
        start: NOW - 300_000,
        end: NOW - 280_000,
        legs: ['serve-alice'],
        suspects: ['serve.alice'],
      }),
      fakeIncident({
        id: 'bob-stall',
        start: NOW - 250_000,
        end: NOW - 240_000,
        legs: ['serve-bob'],
        suspects: ['serve.bob'],
      }),
      fakeIncident({
        id: 'traefik',
        start: NOW - 200_000,
        end: NOW - 190_000,
        legs: ['internal', 'serve-alice', 'serve-bob'],
        suspects: ['traefik'],
        evidence: [
          { leg: 'internal', role: 'failed', reasons: ['reset'], why: { code: 'dropped' }, note: '' },
          { leg: 'serve-bob', role: 'failed', reasons: ['reset'], why: { code: 'dropped' }, note: '' },
        ],
      }),
    ];
    const open = fakeIncident({
      id: 'bob-open',
      start: NOW - 10_000,
      end: null,
      legs: ['serve-bob'],
      suspects: ['serve.bob'],
    });
    let per: Server;
    let url: string;
    beforeAll(async () => {
      per = createApiServer({
        ...source(null, topology, history),
        readIncidents: async () => stored,
        openIncidents: () => [open],
      });
      await new Promise<void>((r) => per.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(per.address() as AddressInfo).port}/api/v1/incidents?from=${NOW - 600_000}&to=${NOW}`;
    });
    afterAll(() => new Promise((r) => per.close(r)));
    const incidentsOf = async (query: string) => {
      const res = await fetch(url + query);
      return { status: res.status, body: (await res.json()) as { incidents: Incident[]; error?: string } };
    };

    it("a user's: their own instance's and the shared ones, not those touching only another user's instance", async () => {
      expect((await incidentsOf('&user=alice')).body.incidents.map((i) => i.id)).toEqual(['alice-stall', 'traefik']);
      expect((await incidentsOf('&user=bob')).body.incidents.map((i) => i.id)).toEqual([
        'bob-stall',
        'traefik',
        'bob-open',
      ]);
      // A user without a leg: only the shared segment's.
      expect((await incidentsOf('&user=carol')).body.incidents.map((i) => i.id)).toEqual(['traefik']);
      // Without user (or an empty one): all of them, untouched.
      for (const query of ['', '&user=']) {
        expect((await incidentsOf(query)).body.incidents).toEqual([...stored, open]);
      }
    });

    it("as that user sees it: another user's legs and evidence left out", async () => {
      const shared = (await incidentsOf('&user=alice')).body.incidents.find((i) => i.id === 'traefik')!;
      expect(shared.legs).toEqual(['internal', 'serve-alice']);
      expect(shared.evidence.map((e) => e.leg)).toEqual(['internal']);
    });

    it('an unknown user → 400 naming the parameter, the known users listed', async () => {
      const r = await incidentsOf('&user=dave');
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ error: 'user: "dave" is not a user the probe knows (known: carol, alice, bob)' });
    });
  });

  it("/metrics: an incidents counter at 0 for every user's instance", async () => {
    const text = await (await fetch(`${users.base}/metrics`)).text();
    for (const id of ['serve.alice', 'serve.bob', 'serve.carol']) {
      expect(text).toContain(`t3probe_incidents_total{suspect="${id}"} 0`);
    }
  });
});
