// The probe's answers against the contract (src/shared/probe-api): every API route's answer, with real
// legs' states and the engine's incidents and verdict, passes the reader the plugin uses, which neither
// rejects it nor fills in a default, so the plugin reads exactly what the probe sends.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIncidents, DEFAULT_TOPOLOGY, type ProbeEvent, type Topology } from '../engine.js';
import { LegBase } from '../legs/leg.js';
import { recorder } from '../legs/testing.js';
import { ProbeMetrics } from '../metrics.js';
import { fakeTopologyAnswer, readAnswer, type ApiRoute } from '../probe-api.js';
import { createApiServer } from './server.js';

const NOW = Date.parse('2026-06-10T12:00:00Z');
/** The default topology with users: alice's instance watched by a leg, carol's by none. */
const TOPOLOGY: Topology = {
  ...DEFAULT_TOPOLOGY,
  users: ['carol'],
  legs: [
    ...DEFAULT_TOPOLOGY.legs,
    { name: 'serve-alice', type: 'http', segments: [], user: 'alice', intervalMs: 10_000, timeoutMs: 5_000 },
  ],
};
const EVENTS: ProbeEvent[] = [
  { type: 'probe_start', time: NOW - 3_600_000 },
  { type: 'disconnect', leg: 'cloudflare', time: NOW - 600_000, lastHeard: NOW - 600_500, reason: 'reset' },
  { type: 'heartbeat', leg: 'internal', time: NOW - 599_900, rttMs: 12 },
  { type: 'reconnect', leg: 'cloudflare', time: NOW - 570_000, lastFailure: NOW - 575_000, attempts: 2 },
  { type: 'disconnect', leg: 't3serve', time: NOW - 60_000, lastHeard: NOW - 65_000, reason: 'heartbeat_timeout' },
  { type: 'probe_alive', time: NOW - 1_000 },
];

/** A leg that reports what it is told: LegBase's own state(), as every leg type reports it. */
class TestLeg extends LegBase {
  start(): void {}
  async stop(): Promise<void> {}
  async crossCheck(): Promise<number | null> {
    return null;
  }
  answering(rttMs: number): this {
    this.healthy();
    this.rtt(rttMs);
    return this;
  }
  failing(): this {
    this.failed('refused');
    return this;
  }
}

let server: Server;
let base: string;

beforeAll(async () => {
  const legs = [
    new TestLeg('cloudflare', 'websocket', ['wan', 'cf-edge', 'probe'], recorder().hooks).answering(35),
    new TestLeg('t3serve', 'http', ['devvm-net', 'serve', 'probe'], recorder().hooks).failing(),
    new TestLeg('serve-alice', 'http', ['serve.alice', 'probe'], recorder().hooks).answering(4),
  ];
  const incidents = buildIncidents(EVENTS, TOPOLOGY, { now: NOW });
  expect(incidents.length).toBeGreaterThan(0);
  server = createApiServer({
    version: '9.9.9',
    topology: TOPOLOGY,
    retentionMs: 86_400_000,
    token: null,
    registry: new ProbeMetrics(TOPOLOGY, '9.9.9').registry,
    legs: () => legs.map((l) => l.state()),
    readEvents: async (from, to) => EVENTS.filter((e) => e.time >= from && e.time <= to),
    readIncidents: async () => incidents.filter((i) => i.end !== null),
    openIncidents: () => incidents.filter((i) => i.end === null),
    ready: () => true,
    now: () => NOW,
    log: () => undefined,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const window = `from=${NOW - 3_600_000}&to=${NOW}`;
const ROUTES: Array<[ApiRoute, string]> = [
  ['/api/v1/legs', ''],
  ['/api/v1/events', `?${window}&type=disconnect,reconnect,heartbeat,probe_start,probe_alive`],
  ['/api/v1/incidents', `?${window}`],
  ['/api/v1/incidents', `?${window}&user=alice`],
  ['/api/v1/attribution', `?${window}`],
  ['/api/v1/attribution', `?${window}&user=carol`],
  ['/api/v1/topology', ''],
];

describe("the probe's answers read by the contract's readers", () => {
  it.each(ROUTES)('%s: read as sent, nothing rejected or defaulted', async (route, query) => {
    const res = await fetch(`${base}${route}${query}`);
    expect(res.status).toBe(200);
    const body: unknown = await res.json();
    expect(readAnswer(route, body)).toEqual(body);
  });

  it("a user's leg carries its user through the reader", async () => {
    const body = readAnswer('/api/v1/legs', await (await fetch(`${base}/api/v1/legs`)).json());
    expect(body.legs.map((l) => [l.name, l.user])).toEqual([
      ['cloudflare', undefined],
      ['t3serve', undefined],
      ['serve-alice', 'alice'],
    ]);
  });

  it("the contract's fake topology answer is the probe's", async () => {
    const body: unknown = await (await fetch(`${base}/api/v1/topology`)).json();
    expect(body).toEqual(fakeTopologyAnswer(TOPOLOGY));
    expect(fakeTopologyAnswer(TOPOLOGY).userInstances.map((u) => [u.user, u.monitored])).toEqual([
      ['carol', false],
      ['alice', true],
    ]);
  });

  it('every list answer has items to check', async () => {
    for (const [route, query] of ROUTES) {
      const body = (await (await fetch(`${base}${route}${query}`)).json()) as Record<string, unknown>;
      const lists = Object.values(body).filter(Array.isArray);
      expect(lists.length, route).toBeGreaterThan(0);
      expect(
        lists.some((l) => l.length > 0),
        route
      ).toBe(true);
    }
  });
});
